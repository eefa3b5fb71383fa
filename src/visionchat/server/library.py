"""The deterministic demo library: an infrastructure survey of images, documents, videos.

Generated from a seeded ``random.Random`` so every start produces the same content,
with ids from ``uuid5`` so they are stable too. Each tenant gets its own copy (same
content, different ids), which keeps tenant-isolation checks meaningful.
"""

from __future__ import annotations

import datetime as _dt
import random
import uuid
from dataclasses import dataclass

from .clock import to_iso
from .models import DocumentItem, ImageItem, Scene, VideoItem

LIBRARY_NAMESPACE = uuid.UUID("6f1c2d7e-5b0a-4c59-9a3e-2f64c1d0b8a7")
IMAGE_COUNT = 64
_SEED = 20240304
_BASE_TIME = _dt.datetime(2024, 3, 4, 8, 0, tzinfo=_dt.UTC)


@dataclass(frozen=True)
class _Category:
    name: str
    subjects: tuple[str, ...]
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...]  # (sentence, severity, tags)
    tags: tuple[str, ...]


_CATEGORIES: tuple[_Category, ...] = (
    _Category(
        "pole",
        ("timber utility pole", "steel distribution pole", "concrete street-light pole"),
        (
            ("The pole stands plumb and the crossarm is intact", "low", ("good-condition",)),
            ("The pole leans about 8 degrees towards the road", "high", ("leaning", "structural")),
            (
                "Woodpecker holes and splitting are visible near the top",
                "medium",
                ("decay", "wood"),
            ),
            ("The ground line shows rot and a hollow sound on tapping", "high", ("decay", "rot")),
        ),
        ("pole", "utility", "power"),
    ),
    _Category(
        "bridge",
        (
            "steel girder bridge",
            "concrete footbridge",
            "bridge bearing",
            "bridge deck expansion joint",
        ),
        (
            (
                "Paint is flaking on the lower flange and surface rust has started",
                "medium",
                ("rust", "coating"),
            ),
            (
                "The expansion joint is packed with debris and one seal is torn",
                "medium",
                ("joint", "debris"),
            ),
            ("No defects visible; drainage scuppers are clear", "low", ("good-condition",)),
            (
                "A diagonal crack runs across the abutment wall",
                "high",
                ("crack", "concrete", "structural"),
            ),
        ),
        ("bridge", "structure"),
    ),
    _Category(
        "rust",
        ("corroded steel bracket", "rusted guardrail post", "pipeline flange", "lattice tower leg"),
        (
            (
                "Heavy scaling rust has reduced the section at the base plate",
                "high",
                ("corrosion", "section-loss"),
            ),
            (
                "Light surface rust with intact galvanising underneath",
                "low",
                ("corrosion", "surface-rust"),
            ),
            (
                "Pitting corrosion surrounds the bolts and one nut is missing",
                "high",
                ("corrosion", "pitting", "fasteners"),
            ),
        ),
        ("rust", "steel", "corrosion"),
    ),
    _Category(
        "crack",
        (
            "concrete retaining wall",
            "asphalt service road",
            "concrete bridge pier",
            "culvert headwall",
        ),
        (
            ("Hairline shrinkage cracks under 0.3 mm wide", "low", ("hairline",)),
            (
                "A longitudinal crack about 4 mm wide with efflorescence",
                "medium",
                ("water-ingress", "efflorescence"),
            ),
            (
                "Spalling has exposed corroded reinforcement bars",
                "high",
                ("spalling", "rebar", "structural"),
            ),
        ),
        ("crack", "concrete"),
    ),
    _Category(
        "vegetation",
        (
            "overhead power line corridor",
            "substation fence",
            "railway embankment",
            "drainage channel",
        ),
        (
            ("Tree branches are within 1 m of the conductors", "high", ("clearance", "trees")),
            (
                "Ivy has climbed the fence and covers the warning signs",
                "medium",
                ("ivy", "signage"),
            ),
            (
                "Grass and shrubs are kept low; the corridor is clear",
                "low",
                ("good-condition", "cleared"),
            ),
        ),
        ("vegetation", "overgrowth"),
    ),
    _Category(
        "roof",
        (
            "metal roof of a pump house",
            "flat membrane roof of a depot",
            "tiled roof of a control building",
        ),
        (
            (
                "Several sheets have lifted at the ridge and fixings are loose",
                "high",
                ("wind-damage", "fixings"),
            ),
            (
                "Ponding water near the outlet and blistering of the membrane",
                "medium",
                ("ponding", "membrane", "water-ingress"),
            ),
            ("Gutters are blocked with leaves and moss", "medium", ("gutter", "debris")),
            ("Roof covering is sound with no missing tiles", "low", ("good-condition",)),
        ),
        ("roof", "building"),
    ),
    _Category(
        "drainage",
        ("culvert inlet", "storm drain grate", "roadside drainage ditch"),
        (
            (
                "The inlet is half blocked by silt and branches",
                "medium",
                ("blockage", "silt", "debris"),
            ),
            (
                "Scour has undermined the apron on the downstream side",
                "high",
                ("scour", "erosion", "structural"),
            ),
            ("Flow is free and the grate is undamaged", "low", ("good-condition",)),
        ),
        ("drainage", "culvert", "water"),
    ),
    _Category(
        "transformer",
        ("pole-mounted transformer", "ground-mounted substation transformer"),
        (
            (
                "An oil stain runs down the tank from a weeping gasket",
                "high",
                ("oil-leak", "gasket"),
            ),
            ("Bushings are clean and the nameplate is legible", "low", ("good-condition",)),
            ("The enclosure door is rusted and does not close", "medium", ("rust", "security")),
        ),
        ("transformer", "power", "electrical"),
    ),
    _Category(
        "pavement",
        ("bridge approach road", "depot yard pavement", "access road to the substation"),
        (
            ("A pothole about 40 cm across holds standing water", "high", ("pothole", "water")),
            ("Wheel-path rutting of roughly 15 mm", "medium", ("rutting",)),
            (
                "Surface is even with recent crack sealing",
                "low",
                ("good-condition", "crack-sealing"),
            ),
        ),
        ("pavement", "road", "asphalt"),
    ),
)

_LOCATIONS = (
    "Mill Creek crossing",
    "Route 9 km 12",
    "North Substation",
    "Harbour Road",
    "Depot B",
    "Elm Street",
    "Quarry access road",
    "River Lane",
    "Station Yard",
    "Hill Farm feeder",
)

_DETAILS = (
    "Photographed from ground level in overcast light.",
    "Taken by drone at roughly 20 m altitude.",
    "Close-up with a scale bar for reference.",
    "Photographed during the spring survey round.",
    "Wide shot showing the surrounding area.",
    "Taken after heavy rain the previous night.",
)


def _uuid(tenant_id: str, kind: str, n: int) -> str:
    return str(uuid.uuid5(LIBRARY_NAMESPACE, f"{tenant_id}/{kind}/{n}"))


def generate_images(tenant_id: str) -> list[ImageItem]:
    """The tenant's survey photos: same content for every tenant, ids unique per tenant."""
    rng = random.Random(_SEED)
    images: list[ImageItem] = []
    for n in range(IMAGE_COUNT):
        category = _CATEGORIES[n % len(_CATEGORIES)]
        subject = rng.choice(category.subjects)
        sentence, severity, extra_tags = rng.choice(category.conditions)
        location = rng.choice(_LOCATIONS)
        detail = rng.choice(_DETAILS)
        taken = _BASE_TIME + _dt.timedelta(hours=5 * n, minutes=rng.randrange(60))
        slug = subject.split()[-1].replace("-", "")
        images.append(
            ImageItem(
                id=_uuid(tenant_id, "image", n),
                filename=f"IMG_{taken:%Y%m%d}_{n + 1:04d}_{category.name}_{slug}.jpg",
                title=f"{subject[0].upper()}{subject[1:]} at {location}",
                description=f"{subject[0].upper()}{subject[1:]} at {location}. {sentence}. {detail}",
                tags=(
                    *category.tags,
                    *extra_tags,
                    f"severity-{severity}",
                    location.lower().replace(" ", "-"),
                ),
                category=category.name,
                confidence=round(rng.uniform(0.62, 0.99), 2),
                created_at=to_iso(taken),
            )
        )
    return images


# Each document: (filename, title, [(page heading, [sentences...]), ...])
_DOCUMENTS: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "mill-creek-bridge-inspection-2024.pdf",
        "Mill Creek Bridge Inspection Report 2024",
        (
            (
                "Summary",
                (
                    "The steel girder bridge at Mill Creek was inspected in March 2024.",
                    "Overall condition is rated fair, with coating failure on the lower flanges.",
                ),
            ),
            (
                "Superstructure",
                (
                    "Surface rust affects about 15 percent of the girder area.",
                    "No section loss was measured on the main girders.",
                ),
            ),
            (
                "Bearings and joints",
                (
                    "The east expansion joint is packed with debris and one seal is torn.",
                    "Bearings show light corrosion but move freely.",
                ),
            ),
            (
                "Substructure",
                (
                    "A diagonal crack 2 mm wide runs across the north abutment wall.",
                    "The crack should be monitored with tell-tales every three months.",
                ),
            ),
            (
                "Recommendations",
                (
                    "Clean and reseal the expansion joint within six months.",
                    "Repaint the lower flanges within two years to stop corrosion spreading.",
                ),
            ),
        ),
    ),
    (
        "utility-pole-maintenance-manual.pdf",
        "Utility Pole Maintenance Manual",
        (
            ("Scope", ("This manual covers timber, steel and concrete distribution poles.",)),
            (
                "Inspection intervals",
                (
                    "Timber poles are inspected every five years, steel poles every eight.",
                    "Poles leaning more than 5 degrees need an engineering review.",
                ),
            ),
            (
                "Decay testing",
                (
                    "Sound the pole with a hammer at ground line; a hollow sound indicates rot.",
                    "Drill tests confirm internal decay and woodpecker damage.",
                ),
            ),
            (
                "Replacement criteria",
                (
                    "Replace a pole when remaining strength is below 67 percent.",
                    "Leaning poles near roads are replaced with priority.",
                ),
            ),
            (
                "Vegetation near poles",
                ("Keep a 3 m clearance between tree branches and conductors.",),
            ),
            ("Records", ("Every inspection is logged with photographs and GPS position.",)),
        ),
    ),
    (
        "corrosion-protection-standard-cp12.pdf",
        "Corrosion Protection Standard CP-12",
        (
            (
                "Purpose",
                ("CP-12 defines how steel assets are protected against rust and corrosion.",),
            ),
            (
                "Corrosion grades",
                (
                    "Grade 1 is light surface rust, grade 2 is pitting, grade 3 is section loss.",
                    "Pitting around bolts and fasteners is treated as grade 2.",
                ),
            ),
            ("Surface preparation", ("Blast clean to Sa 2.5 before applying primer.",)),
            (
                "Coating systems",
                ("Use a zinc-rich primer with an epoxy intermediate and polyurethane top coat.",),
            ),
            (
                "Galvanised steel",
                (
                    "Light surface rust on galvanised guardrails can wait for the next cycle.",
                    "Scaling rust with section loss at base plates needs repair within 12 months.",
                ),
            ),
        ),
    ),
    (
        "vegetation-management-plan-2024.pdf",
        "Vegetation Management Plan 2024",
        (
            ("Objectives", ("Keep overhead power line corridors clear of trees and overgrowth.",)),
            (
                "Clearances",
                (
                    "Branches must stay at least 3 m from conductors at maximum sag.",
                    "Any tree within 1 m of a conductor is an urgent defect.",
                ),
            ),
            (
                "Fences and substations",
                ("Ivy on substation fences hides warning signs and must be removed.",),
            ),
            ("Embankments", ("Railway embankments are cut twice a year to protect drainage.",)),
        ),
    ),
    (
        "depot-roof-condition-survey.pdf",
        "Depot Roof Condition Survey",
        (
            (
                "Overview",
                ("Roofs at Depot B, the pump house and the control building were surveyed.",),
            ),
            (
                "Metal roofs",
                (
                    "Lifted sheets at the ridge show wind damage and loose fixings.",
                    "Re-fix sheets with new self-drilling screws and sealing washers.",
                ),
            ),
            (
                "Flat membrane roofs",
                ("Ponding near outlets causes blistering of the membrane and water ingress.",),
            ),
            (
                "Gutters",
                (
                    "Blocked gutters with leaves and moss overflow onto the walls.",
                    "Clear gutters every autumn.",
                ),
            ),
            (
                "Tiled roofs",
                ("The control building roof covering is sound with no missing tiles.",),
            ),
            ("Priorities", ("Fix the pump house ridge first, then the depot membrane.",)),
        ),
    ),
    (
        "concrete-crack-repair-procedure.pdf",
        "Concrete Crack Repair Procedure",
        (
            (
                "Classifying cracks",
                (
                    "Hairline cracks below 0.3 mm are cosmetic.",
                    "Cracks over 2 mm or with efflorescence show water ingress.",
                ),
            ),
            (
                "Spalling",
                (
                    "Spalling that exposes rebar needs patch repair and corrosion treatment of the bars.",
                ),
            ),
            ("Injection", ("Epoxy injection restores strength in dormant structural cracks.",)),
            (
                "Monitoring",
                ("Install tell-tales across active cracks and read them every three months.",),
            ),
            ("Retaining walls", ("Check weep holes on retaining walls before repairing cracks.",)),
        ),
    ),
    (
        "drainage-culvert-inspection-checklist.pdf",
        "Drainage and Culvert Inspection Checklist",
        (
            ("Before you start", ("Check the weather; do not enter culverts after heavy rain.",)),
            (
                "Inlets and outlets",
                (
                    "Record blockage by silt, branches and debris as a percentage.",
                    "Scour that undermines the apron is a high-priority defect.",
                ),
            ),
            (
                "Grates and ditches",
                (
                    "Broken storm drain grates are replaced the same week.",
                    "Eroded ditches are regraded and lined.",
                ),
            ),
            ("Headwalls", ("Look for cracks and spalling on culvert headwalls.",)),
        ),
    ),
    (
        "field-survey-safety-handbook.pdf",
        "Field Survey Safety Handbook",
        (
            ("General", ("Work in pairs and carry a charged radio.",)),
            (
                "Working near power lines",
                (
                    "Never climb a pole that leans or sounds hollow.",
                    "Treat every conductor as live.",
                ),
            ),
            ("Drone flights", ("Drone flights need a site permit and a visual observer.",)),
            ("Roofs", ("Use fall protection on any roof without edge protection.",)),
            ("Traffic", ("Wear high-visibility clothing on roads and bridge approaches.",)),
        ),
    ),
)


def generate_documents(tenant_id: str) -> list[DocumentItem]:
    """Eight survey documents, each a few pages of plain text."""
    documents: list[DocumentItem] = []
    for n, (filename, title, sections) in enumerate(_DOCUMENTS):
        pages = tuple(
            f"{title} - {heading}\n\n" + " ".join(sentences) for heading, sentences in sections
        )
        documents.append(
            DocumentItem(
                id=_uuid(tenant_id, "document", n),
                filename=filename,
                title=title,
                pages=pages,
                created_at=to_iso(_BASE_TIME + _dt.timedelta(days=2 * n)),
            )
        )
    return documents


_VIDEOS: tuple[tuple[str, str, tuple[tuple[int, str], ...]], ...] = (
    (
        "mill-creek-drone-flyover.mp4",
        "Drone flyover of the Mill Creek bridge",
        (
            (0, "Take-off from the west bank; whole bridge in view."),
            (42, "Lower flanges show flaking paint and surface rust."),
            (95, "East expansion joint packed with debris."),
            (150, "Diagonal crack on the north abutment wall."),
            (210, "Creek bed below the bridge; no scour visible."),
        ),
    ),
    (
        "route9-line-patrol.mp4",
        "Line patrol along the Route 9 feeder",
        (
            (0, "Start at the Route 9 km 12 pole; pole stands plumb."),
            (64, "Tree branches within 1 m of the conductors."),
            (130, "Leaning timber pole near the road."),
            (188, "Pole-mounted transformer with an oil stain on the tank."),
        ),
    ),
    (
        "quarry-road-culvert-walk.mp4",
        "Culvert walk-through on the Quarry access road",
        (
            (0, "Culvert inlet half blocked by silt and branches."),
            (55, "Inside the barrel: hairline cracks, no deformation."),
            (120, "Outlet apron undermined by scour."),
            (170, "Roadside ditch eroded for about 20 m."),
        ),
    ),
    (
        "north-substation-perimeter.mp4",
        "North Substation perimeter survey",
        (
            (0, "Main gate and fence line."),
            (38, "Ivy covering the fence and warning signs."),
            (90, "Ground-mounted transformer; bushings clean."),
            (140, "Enclosure door rusted and not closing."),
            (200, "Access road pothole holding water."),
        ),
    ),
    (
        "depot-roof-drone-survey.mp4",
        "Drone survey of the depot roofs",
        (
            (0, "Depot B flat roof with ponding near the outlet."),
            (48, "Membrane blistering around the ponding area."),
            (101, "Pump house metal roof: sheets lifted at the ridge."),
            (160, "Blocked gutters full of leaves and moss."),
            (215, "Control building tiled roof in good condition."),
        ),
    ),
)


def generate_videos(tenant_id: str) -> list[VideoItem]:
    """Five survey videos described by timestamped scene notes."""
    videos: list[VideoItem] = []
    for n, (filename, title, scenes) in enumerate(_VIDEOS):
        videos.append(
            VideoItem(
                id=_uuid(tenant_id, "video", n),
                filename=filename,
                title=title,
                duration_seconds=scenes[-1][0] + 45,
                scenes=tuple(Scene(at, note) for at, note in scenes),
                created_at=to_iso(_BASE_TIME + _dt.timedelta(days=3 * n, hours=4)),
            )
        )
    return videos
