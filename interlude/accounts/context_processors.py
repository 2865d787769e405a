def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None}
    return {"role": user.role, "is_practice_admin": user.is_admin}
