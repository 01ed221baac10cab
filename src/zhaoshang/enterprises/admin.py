from django.contrib import admin

from zhaoshang.enterprises.models import Tag

admin.site.register(Tag)
