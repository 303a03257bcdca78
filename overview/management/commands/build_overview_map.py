import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from overview import svgmap

DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "municipalities.geojson"


class Command(BaseCommand):
    help = (
        "Project and simplify the municipalities' outlines (GeoJSON) into the overview map's "
        "SVG path data, overview/data/map.json, which is committed: run it when the outlines "
        "change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="the GeoJSON file")

    def handle(self, *args, source, **options):
        if not Path(source).exists():
            raise CommandError(f"No such file: {source}")
        data = svgmap.build(source)
        svgmap.MAP_FILE.write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        size = svgmap.MAP_FILE.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(data['municipalities'])} municipalities, {size // 1024} KB: "
                f"{svgmap.MAP_FILE}"
            )
        )
