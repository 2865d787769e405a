from ninja import NinjaAPI

api = NinjaAPI(title="Interlude API", version="1")
