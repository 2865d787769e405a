"""Exceptions for jokes and trades must not excuse danger said in the same words, and rules
written for veiled risk must not fire on ordinary errands. Each message here was found by a
review of the rules learned from the held-out sets: before the fix the first group read as
routine or elevated and the second as urgent."""

import pytest

from interlude.triage import assess
from interlude.triage.engine import assess_rules

STILL_URGENT = [
    ("es", "Si pierdo el trabajo, me mato."),
    ("es", "Si sale mal la cosecha otra vez, me mato."),
    ("en", "I'll kill myself if they bring up my weight again at Thanksgiving"),
    ("en", "The ER treated my overdose last night and sent me home."),
    ("en", "My mom caught me in the middle of an overdose and called 911"),
    ("en", "My husband is going to kill me when he gets home 😂 he's drunk again"),
    ("es", "mi esposo dice que si le cuento a alguien me mata 😂"),
    ("es", "Me va a matar mi papá cuando llegue, viene borracho otra vez"),
    ("en", "i want to kill myself lol i called the crisis line and hung up"),
    ("en", "Im going to kill my dad tonight, obviously Im not letting him touch mom again"),
    ("en", "Ill kill him if he breaks her arm again"),
    ("es", "Le conté a mi esposo lo de la sesión y me pegó duro en la cara"),
    ("es", "Soy un fracaso, me mato al final del mes."),
    ("es", "No pude hacer la tarea, estoy escribiendo mi carta de despedida"),
    ("en", "Got the kitchen knife out."),
    ("es", "Tengo el cuchillo de cocina en la mesita de noche por si él vuelve"),
    ("en", "im done. already figured out how 😅"),
    ("es", "me quiero morir 😅"),
    ("en", "I used to go to church on Main St. Now I just want to die."),
    ("en", "I took something, idk, way too much"),
    ("en", "I ain't gonna sit back and let him walk free"),
    ("en", "if I leave him he'll kill me, he said so tonight"),
    ("en", "if I forget to call when I land he's gonna kill me, he has the gun out again"),
    ("en", "He pinned me against the fridge and said next time he won't stop"),
    ("en", "rented a pistol at the gun club range, I'm not planning on driving home"),
    ("en", "I'm going to kill her. I'm not sorry, she took my kids"),
    ("es", "La sangre no me molesta, por eso me corté más hondo anoche"),
    ("en", "my roommate said he's jumping off the roof tonight and laughed, he's been drinking"),
    ("es", "llegué con sobredosis a urgencias y me mandaron a casa, no quiero seguir"),
    ("es", "me saqué sangre otra vez con lo que encontré en el baño"),
    ("es", "Mañana es nuestro aniversario y me pega cuando bebe"),
    ("es", "cero ganas de vivir"),
    ("es", "tengo cero ganas de seguir viviendo"),
    ("es", "me quemé el brazo con la estufa a propósito"),
    ("es", "Me quemé la mano con el aceite otra vez, quería sentir algo"),
    ("en", "I'm going to kill my brother, he told mom I'm gay and she hit me"),
    ("en", "im gonna kill my sister, she took my car and I'm not joking this time"),
    ("en", "I know the combination to dad's gun safe now"),
    ("en", "relapsed again, 6 months down the drain and I don't want to be here anymore"),
    ("en", "I want to die. That feels like another person saying it but it is me"),
    ("es", "Me voy a matar a los 30 si sigo así"),
    ("en", "took 20 of my sertraline an hour ago, nothing since"),
    ("es", "No pienso hacer nada hoy. Después ya veremos."),
    ("es", "Tarjeta diaria: autolesión 0 ayer, hoy urgencia de suicidio 5 y tengo la navaja aquí"),
    ("en", "SH urge 5, didn't act yet, blade is in my hand"),
    ("es", "urgencia de cortarme 5, no actué todavía"),
    ("en", "I'm gonna kill my roommate if she leaves me for him, I mean it"),
    ("es", "tengo mi arma cargada en el cajón"),
    ("es", "mi arma no voy a hacer na esta noche, pero el domingo no te prometo nada"),
    ("es", "casi me mata mi marido anoche, me apretó el cuello"),
    ("en", "hid in the bathroom for 20 minutes because he has the knife out again"),
    ("es", "me voy a tirar del balcón, ya regué las plantas por última vez"),
    ("es", "si pierdo esta partida otra vez me mato, ya tengo las pastillas"),
    ("en", "I took everything"),
    ("es", "me muero de dolor con esta migraña, ya junté las pastillas para no despertar"),
]

NOT_URGENT_BY_RULES = [
    ("en", "Dad finally bought the gun safe like you recommended, everything's locked."),
    ("es", "mi jefe anda preguntando por mí porque no entregué el reporte, qué pena"),
    ("en", "Good news, my insurance will cover everything for the sessions now!"),
    ("en", "No one can make it in time from work."),
    ("en", "Packed everything into one bag for the trip"),
    ("en", "What dose does it usually start at?"),
    ("en", "I finally know exactly how to do it, thanks for the worksheet!"),
    ("en", "Does my car insurance pay more if the accident was the other driver's fault?"),
    ("en", "Oops, I double-booked us Thursday, going to fix the mistake."),
    ("en", "Not doing another year of this job"),
    ("en", "Got the gym membership, I know I'll be using it soon."),
    ("en", "It won't be much longer until my leave starts."),
    ("en", "Made my end date official, last day at the firm is Friday."),
    ("en", "Got drunk at my sister's wedding and put my foot in my mouth"),
    ("en", "My mom said she has a plan to lose weight"),
    ("en", "im locked in my room grinding for finals"),
    ("es", "Hablé con mi vecina para que se quede con mi perro el fin de semana"),
    ("es", "¿El seguro del carro cubre si es un accidente?"),
    ("en", "Not suicidal, just exhausted. My meds are working, can't say the same about my car."),
]


@pytest.mark.parametrize(("lang", "text"), STILL_URGENT)
def test_it_keeps_danger_in_joking_or_trade_words_urgent(lang, text):
    assert assess(text, lang).level == "urgent"


@pytest.mark.parametrize(("lang", "text"), NOT_URGENT_BY_RULES)
def test_its_rules_for_veiled_risk_leave_ordinary_errands_alone(lang, text):
    assert assess_rules(text, lang).level != "urgent"
