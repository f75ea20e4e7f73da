from django.apps import AppConfig


class CytokinesConfig(AppConfig):
    name = "cytokines"
    verbose_name = "Cytokine content"
