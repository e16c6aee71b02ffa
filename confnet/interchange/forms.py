"""Forms of the interchange area, one per action."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

FORMAT_CHOICES = [
    SelectChoice("auto", "From the file name (.csv, .json, .xml)"),
    SelectChoice("csv", "CSV"),
    SelectChoice("json", "frab schedule.json (pretalx, frab)"),
    SelectChoice("xml", "frab schedule.xml (pretalx, frab, pentabarf)"),
]


class ImportForm(FlaskForm):
    file = FileField(
        "Schedule file",
        validators=[FileRequired("Choose a file to import.")],
        description="CSV, schedule.json or schedule.xml, UTF-8, up to 2 MB.",
        render_kw={"accept": ".csv,.json,.xml,text/csv,application/json,application/xml,text/xml"},
    )
    format = SelectField("Format", choices=FORMAT_CHOICES, default="auto")
