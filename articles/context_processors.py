from articles.models import Section


def navigation(request):
    # A queryset, so pages that never draw the navigation (feeds, errors) never run it.
    return {"nav_sections": Section.objects.all()}
