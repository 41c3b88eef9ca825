app_name = "relations"
urlpatterns = []
