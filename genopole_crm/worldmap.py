"""A world map of partner organisations by country, as a standalone SVG document.

The country shapes come from the pygal_maps_world package (its worldmap.svg, one group per
ISO 3166 code), installed from the registry and read from disk: no tiles, no CDN. The map is
drawn here rather than by pygal so that it carries no script and no inline style (strict
CSP); colours are presentation attributes, which CSP does not govern.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from xml.sax.saxutils import escape, quoteattr

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)

# Sequential blues, light to dark; NO_PARTNER for countries without a partner.
NO_PARTNER = "#e3e7ec"
SHADES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
# The lowest count of each shade: 1, 2, 3–4, 5 and more.
THRESHOLDS = (1, 2, 3, 5)



@dataclass(frozen=True)
class Country:
    code: str  # lower-case ISO 3166-1 alpha-2, as the map names it
    shapes: str  # the SVG paths and circles, serialised


@cache
def world():
    """(viewBox, countries) read once per process: geometry, not figures, so never stale."""
    root = ET.fromstring((files("pygal_maps_world") / "worldmap.svg").read_text())
    countries = []
    for group in root.find(f"{{{SVG}}}g"):
        classes = group.get("class", "").split()
        if "country" not in classes:
            continue
        for element in group.iter():
            element.attrib.pop("id", None)
        shapes = "".join(ET.tostring(child, encoding="unicode") for child in group)
        countries.append(Country(classes[0], shapes.replace(f' xmlns="{SVG}"', "")))
    return root.get("viewBox"), tuple(countries)


def known_codes():
    return {country.code.upper() for country in world()[1]}


def shade(count):
    """The fill for a country with `count` partner organisations."""
    fill = NO_PARTNER
    for threshold, colour in zip(THRESHOLDS, SHADES, strict=True):
        if count >= threshold:
            fill = colour
    return fill


def legend():
    """(fill, lowest count, highest count or None) for each shade, for the page's legend."""
    highs = [*(t - 1 for t in THRESHOLDS[1:]), None]
    return list(zip(SHADES, THRESHOLDS, highs, strict=True))


# Most partners are European: a second view zooms there (x, y, width, height on the map).
REGIONS = {"world": None, "europe": "1130 150 430 350"}


def render(counts, names, title, region="world"):
    """The map as an SVG document; `counts` maps upper-case country codes to organisations."""
    view_box, countries = world()
    view_box = REGIONS.get(region) or view_box
    parts = [
        f'<svg xmlns="{SVG}" viewBox="{view_box}" role="img" aria-labelledby="map-title">',
        f'<title id="map-title">{escape(title)}</title>',
        '<g stroke="#ffffff" stroke-width="0.6">',
    ]
    for country in countries:
        code = country.code.upper()
        n = counts.get(code, 0)
        attributes = f'fill="{shade(n)}" data-country="{code}"'
        if n:
            label = f"{names.get(code, code)}: {n}"
            attributes += f" data-partners={quoteattr(str(n))}"
            parts.append(f"<g {attributes}><title>{escape(label)}</title>{country.shapes}</g>")
        else:
            parts.append(f"<g {attributes}>{country.shapes}</g>")
    parts.append("</g></svg>")
    return "".join(parts)
