"""The `<casenr:number>` URL converter: case numbers like Z-7KQM-3XD9, used by cases and piket."""

from django.urls import register_converter


class CaseNumberConverter:
    regex = r"Z-[0-9A-Z]{4}-[0-9A-Z]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseNumberConverter, "casenr")
