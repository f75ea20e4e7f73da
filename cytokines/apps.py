from django.apps import AppConfig


class CytokinesConfig(AppConfig):
    name = "cytokines"
    verbose_name = "Cytokine content"

    def ready(self):
        # Connects the receiver for the e-mail service's bounce and complaint reports (django-anymail).
        from cytokines.ops import checks  # noqa: F401 - registers the deployment checks
        from cytokines.supporters import mail_tracking  # noqa: F401
