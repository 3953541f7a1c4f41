"""Friendly drawings of demo animals for `seed_demo`, made with Pillow (nothing downloaded).

`draw(look=..., colour=..., pose=...)` draws one species' silhouette in the colours named by an animal's `colour`
field ("Black and white": black with white patches), on one of several backgrounds. The pose number changes the
background, which way the animal faces, its place and size and small things (tail, tongue, closed eyes), so the
photos of one animal, and neighbouring cards, do not look the same.

A look is a species' drawing plus the breed's shape: `Look("dog", ears="floppy", legs=0.5)` is a dachshund.
"""

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTH, HEIGHT = 800, 600

# The colour words of the demo breeds, as RGB. Several words in one `colour` value ("Black and white",
# "Black, white and tan") give a main colour and patches; the special words below give a pattern.
COLOURS = {
    "black": (38, 36, 36),
    "white": (246, 244, 238),
    "grey": (140, 140, 146),
    "silver": (192, 198, 206),
    "brown": (128, 78, 42),
    "chocolate": (92, 54, 30),
    "liver": (110, 60, 40),
    "golden": (218, 165, 82),
    "gold": (232, 178, 50),
    "yellow": (247, 216, 60),
    "cream": (240, 222, 182),
    "fawn": (212, 170, 120),
    "tan": (192, 122, 60),
    "ginger": (226, 128, 46),
    "orange": (245, 140, 30),
    "red": (200, 56, 46),
    "blue": (58, 118, 214),
    "green": (88, 178, 74),
    "lilac": (186, 170, 190),
    "peach": (246, 170, 120),
    "sable": (150, 96, 50),
    "sand": (206, 168, 110),
    "olive": (128, 128, 64),
}
# Words that name more than one colour, or a pattern.
PATTERNS = {
    "tricolour": ("tricolour", ["tan", "black", "white"]),
    "calico": ("patches", ["white", "ginger", "black"]),
    "tortoiseshell": ("patches", ["black", "ginger", "cream"]),
    "tabby": ("tabby", ["fawn", "chocolate"]),
    "seal point": ("points", ["cream", "chocolate"]),
    "blue point": ("points", ["white", "grey"]),
    "merle": ("patches", ["grey", "black", "white"]),
}
UNKNOWN_COLOUR = "brown"
# In a furred animal's colour, these words mean the breeders' colours: a red setter is reddish brown, an orange
# rabbit is a warm fawn, a "blue" British Shorthair is grey.
FUR_COLOURS = {"red": (182, 88, 42), "orange": (214, 132, 62), "blue": (120, 130, 146)}
FURRED = ("cat", "dog", "rabbit", "guinea_pig")


@dataclass(frozen=True)
class Palette:
    main: tuple
    patches: tuple  # further colours, as patches on the main one
    pattern: str = "patches"  # patches, tabby (stripes), points (dark ears, face, paws and tail), tricolour


def palette(colour: str, kind: str = "") -> Palette:
    """The colours of an animal's `colour` field: "Black and white" is black with white patches. `kind` is the
    species' drawing (a red dog is reddish brown, a red fish red)."""
    colours = {**COLOURS, **FUR_COLOURS} if kind in FURRED else COLOURS
    text = colour.lower().strip()
    words = text.replace(",", " ").replace("/", " ").replace("&", " ").split()
    names = [word for word in words if word in colours]
    if "tabby" in words and names:  # "Silver tabby": silver with darker stripes
        return Palette(colours[names[0]], (shade(colours[names[0]], 0.5),), "tabby")
    for word, (pattern, pattern_names) in PATTERNS.items():
        if word in text:
            return Palette(colours[pattern_names[0]], tuple(colours[name] for name in pattern_names[1:]), pattern)
    if not names:
        names = [UNKNOWN_COLOUR]
    return Palette(colours[names[0]], tuple(colours[name] for name in names[1:]))


@dataclass(frozen=True)
class Look:
    """How a breed is drawn: the species' drawing and a few shape settings (all optional)."""

    kind: str  # cat, dog, rabbit, guinea_pig, bird, fish, lizard, snake, tortoise
    ears: str = ""  # dog: floppy or pricked; rabbit: upright or lop
    legs: float = 1.0  # dog: leg length (a dachshund's are short)
    length: float = 1.0  # body length
    size: float = 1.0
    tail: str = ""  # bird: long or short; fish: fan, double, long
    coat: str = ""  # long, fluffy, tufts (guinea pigs, cats)
    crest: bool = False  # bird
    stripe: str = ""  # fish: a neon stripe


def shade(rgb, factor):
    return tuple(max(0, min(255, int(channel * factor))) for channel in rgb)


def is_dark(rgb):
    return sum(rgb) < 200


class Canvas:
    """Draws in the animal's own units, which `scale` and `origin` place on the picture (y grows downwards)."""

    def __init__(self, scale, origin):
        self.scale = scale
        self.ox, self.oy = origin

    def pt(self, x, y):
        return (self.ox + x * self.scale, self.oy + y * self.scale)

    def pts(self, points):
        return [self.pt(x, y) for x, y in points]

    def box(self, x0, y0, x1, y1):
        (a, b), (c, d) = self.pt(x0, y0), self.pt(x1, y1)
        return (min(a, c), min(b, d), max(a, c), max(b, d))

    def w(self, width):
        return max(1, round(width * self.scale))

    def oval(self, cx, cy, rx, ry, angle=0, steps=36):
        """Points of an ellipse turned by `angle` degrees (Pillow's ellipses cannot turn)."""
        turn = math.radians(angle)
        points = []
        for step in range(steps):
            t = 2 * math.pi * step / steps
            x, y = rx * math.cos(t), ry * math.sin(t)
            points.append((cx + x * math.cos(turn) - y * math.sin(turn), cy + x * math.sin(turn) + y * math.cos(turn)))
        return self.pts(points)


class Layers:
    """The fur (or feathers, scales) as a mask, the colour under it and the dark "points" of a Siamese."""

    def __init__(self, canvas):
        self.c = canvas
        self.mask = Image.new("L", (WIDTH, HEIGHT), 0)
        self.points = Image.new("L", (WIDTH, HEIGHT), 0)
        self.fur = ImageDraw.Draw(self.mask)
        self.point = ImageDraw.Draw(self.points)

    def ellipse(self, box, extremity=False):
        self.fur.ellipse(self.c.box(*box), fill=255)
        if extremity:
            self.point.ellipse(self.c.box(*box), fill=255)

    def polygon(self, points, extremity=False):
        self.fur.polygon(points, fill=255)
        if extremity:
            self.point.polygon(points, fill=255)

    def line(self, points, width, extremity=False):
        xy = self.c.pts(points)
        self.fur.line(xy, fill=255, width=self.c.w(width), joint="curve")
        radius = width * self.c.scale / 2
        for x, y in (xy[0], xy[-1]):
            self.fur.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
        if extremity:
            self.point.line(xy, fill=255, width=self.c.w(width), joint="curve")


# Backgrounds -----------------------------------------------------------------------------------------------------

WALLS = [(236, 226, 206), (214, 232, 226), (238, 214, 214), (222, 222, 240), (244, 236, 200), (212, 226, 240)]
FLOORS = [(186, 140, 96), (160, 120, 84), (204, 196, 180), (140, 160, 120)]
SKIES = [(176, 214, 242), (196, 226, 246), (160, 200, 236)]
GRASS = [(120, 186, 92), (104, 168, 80), (140, 196, 104)]
WATER = [(150, 206, 232), (120, 190, 220), (160, 220, 214), (110, 170, 210)]
SAND = [(226, 200, 150), (210, 180, 130), (200, 170, 140)]


def background(kind, rng, ground):
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    if kind == "aquarium":
        water = rng.choice(WATER)
        image.paste(water, (0, 0, WIDTH, HEIGHT))
        draw.rectangle((0, 0, WIDTH, 40), fill=shade(water, 1.12))
        draw.rectangle((0, HEIGHT - 70, WIDTH, HEIGHT), fill=(196, 172, 130))
        for _ in range(90):
            x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT - 70, HEIGHT)
            draw.ellipse(
                (x - 5, y - 4, x + 5, y + 4), fill=rng.choice([(150, 130, 100), (220, 200, 160), (120, 110, 96)])
            )
        for _ in range(rng.randint(2, 4)):
            x = rng.choice([rng.randint(10, 180), rng.randint(620, 790)])
            height = rng.randint(220, 420)
            leaves = [(x + 22 * math.sin(i / 2 + x), HEIGHT - 60 - i * height / 12) for i in range(13)]
            draw.line(leaves, fill=(60, 140, 70), width=14, joint="curve")
            for lx, ly in leaves[2::2]:
                draw.ellipse((lx - 24, ly - 8, lx + 4, ly + 8), fill=(80, 160, 80))
        for _ in range(rng.randint(5, 10)):
            x, y, r = rng.randint(100, 700), rng.randint(60, 500), rng.randint(5, 12)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(240, 250, 255), width=3)
        return image
    if kind == "terrarium":
        image.paste(shade(rng.choice(SAND), 0.8), (0, 0, WIDTH, HEIGHT))
        draw.rectangle((0, 0, WIDTH, 140), fill=(120, 150, 110))
        draw.rectangle((0, ground - 20, WIDTH, HEIGHT), fill=rng.choice(SAND))
        for _ in range(rng.randint(2, 3)):
            x = rng.randint(0, WIDTH)
            draw.ellipse((x - 90, ground - 90, x + 90, ground + 30), fill=(150, 140, 130))
        draw.line([(0, 180), (WIDTH, rng.randint(120, 260))], fill=(120, 86, 56), width=22)
        return image
    if kind == "garden":
        image.paste(rng.choice(SKIES), (0, 0, WIDTH, HEIGHT))
        if rng.random() < 0.5:
            x = rng.randint(60, 740)
            draw.ellipse((x - 45, 30, x + 45, 120), fill=(255, 226, 120))
        for _ in range(rng.randint(1, 3)):
            x, y = rng.randint(0, WIDTH), rng.randint(40, 160)
            for dx in (0, 40, 80):
                draw.ellipse((x + dx - 40, y - 25, x + dx + 40, y + 25), fill=(250, 252, 255))
        grass = rng.choice(GRASS)
        draw.ellipse((-300, ground - 170, WIDTH + 300, ground + 600), fill=grass)
        for _ in range(rng.randint(4, 9)):
            x, y = rng.randint(0, WIDTH), rng.randint(ground - 60, HEIGHT)
            petal = rng.choice([(250, 250, 250), (250, 210, 60), (240, 120, 160)])
            for dx, dy in ((-7, 0), (7, 0), (0, -7), (0, 7)):
                draw.ellipse((x + dx - 6, y + dy - 6, x + dx + 6, y + dy + 6), fill=petal)
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(250, 190, 40))
        return image
    wall = rng.choice(WALLS)
    image.paste(wall, (0, 0, WIDTH, HEIGHT))
    floor = rng.choice(FLOORS)
    draw.rectangle((0, ground - 40, WIDTH, HEIGHT), fill=floor)
    draw.rectangle((0, ground - 52, WIDTH, ground - 40), fill=shade(wall, 0.85))
    if kind == "room":
        x = rng.randint(40, 560)
        draw.rectangle((x, 60, x + 200, 230), fill=(250, 250, 250), outline=shade(wall, 0.6), width=10)
        draw.line([(x + 100, 60), (x + 100, 230)], fill=shade(wall, 0.6), width=6)
        draw.rectangle((x + 5, 65, x + 95, 225), fill=rng.choice(SKIES))
        draw.rectangle((x + 105, 65, x + 195, 225), fill=rng.choice(SKIES))
    else:  # a rug
        rug = rng.choice([(200, 80, 80), (80, 120, 190), (220, 180, 80), (120, 170, 120)])
        draw.ellipse((120, ground - 10, 680, ground + 90), fill=rug)
        draw.ellipse((150, ground, 650, ground + 80), outline=shade(rug, 1.25), width=5)
    return image


# Species ---------------------------------------------------------------------------------------------------------


def cat(layers, c, look, pose, rng):
    fur = layers
    fluffy = look.coat == "long"
    fur.line(
        [(80, -20), (170, -40), (190, -120), (160, -180)] if pose % 2 else [(80, -10), (150, 0), (200, -30)],
        34,
        extremity=True,
    )
    fur.ellipse((-115, -270, 115, 0))
    fur.ellipse((-90, -310, 90, -150))
    if fluffy:
        fur.polygon(c.pts([(-100, -270), (0, -200), (100, -270), (0, -330)]))
        fur.ellipse((-135, -200, 135, 0))
    fur.ellipse((-75, -36, -15, 6), extremity=True)
    fur.ellipse((15, -36, 75, 6), extremity=True)
    head = (-105, -430, 105, -255)
    fur.ellipse(head)
    fur.ellipse((-55, -330, 55, -262), extremity=True)  # the face of a Siamese is dark
    tilt = (pose % 3 - 1) * 8
    left = [(-100, -350), (-85 - tilt, -485), (-25, -415)]
    right = [(100, -350), (85 - tilt, -485), (25, -415)]
    fur.polygon(c.pts(left), extremity=True)
    fur.polygon(c.pts(right), extremity=True)
    if fluffy:
        for side in (-1, 1):
            fur.polygon(c.pts([(side * 100, -330), (side * 130, -300), (side * 95, -290)]))

    def details(draw, colours):
        pink = (240, 150, 160)
        for ear in (left, right):
            (x0, y0), (x1, y1), (x2, y2) = ear
            inner = [
                (x0 + (x1 - x0) * 0.25 + (x2 - x0) * 0.15, y0 + (y1 - y0) * 0.25 + (y2 - y0) * 0.15),
                (x1 + (x0 - x1) * 0.2 + (x2 - x1) * 0.2, y1 + (y0 - y1) * 0.2 + (y2 - y1) * 0.2),
                (x2 + (x0 - x2) * 0.25 + (x1 - x2) * 0.15, y2 + (y0 - y2) * 0.25 + (y1 - y2) * 0.15),
            ]
            draw.polygon(c.pts(inner), fill=pink)
        eye = rng.choice([(120, 200, 90), (240, 200, 60), (90, 170, 220)])
        for x in (-45, 45):
            if pose % 4 == 3:  # content, eyes closed
                draw.arc(c.box(x - 22, -370, x + 22, -340), 200, 340, fill=(30, 30, 30), width=c.w(5))
            else:
                draw.ellipse(c.box(x - 22, -372, x + 22, -338), fill=eye, outline=(30, 30, 30), width=c.w(3))
                draw.ellipse(c.box(x - 5, -370, x + 5, -340), fill=(20, 20, 20))
        draw.polygon(c.pts([(-14, -320), (14, -320), (0, -305)]), fill=pink)
        mouth = (30, 30, 30)
        draw.arc(c.box(-22, -312, 0, -292), 0, 180, fill=mouth, width=c.w(3))
        draw.arc(c.box(0, -312, 22, -292), 0, 180, fill=mouth, width=c.w(3))
        whisker = (250, 250, 250) if is_dark(colours.main) else (50, 50, 50)
        for side in (-1, 1):
            for dy in (-18, 0, 18):
                draw.line(c.pts([(side * 28, -308), (side * 150, -318 + dy * 1.6)]), fill=whisker, width=c.w(3))

    return details


def dog(layers, c, look, pose, rng):
    fur = layers
    legs = 110 * look.legs
    length = 240 * look.length
    top = -(legs + 120)
    front, back = length / 2, -length / 2
    fur.ellipse((back, top, front, -legs + 15))
    for x in (back + 22, back + 62, front - 70, front - 30):
        fur.line([(x, -legs - 20), (x + 4, -12)], 36)
        fur.ellipse((x - 18, -24, x + 30, 2), extremity=True)
    hx, hy = front + 40, top - 45 - (pose % 2) * 20
    fur.polygon(c.pts([(front - 80, top + 20), (hx - 30, hy - 20), (hx + 25, hy + 20), (front, top + 90)]))
    fur.ellipse((hx - 60, hy - 55, hx + 55, hy + 50))
    snout = 75 * (0.8 if look.size < 0.9 else 1)
    fur.ellipse((hx, hy - 10, hx + 40 + snout, hy + 45), extremity=True)
    wag = [(back + 15, top + 30), (back - 30, top - 10), (back - 45, top - 60)]
    droop = [(back + 15, top + 30), (back - 35, top + 50), (back - 50, top + 100)]
    fur.line(wag if pose % 3 != 2 else droop, 22, extremity=True)
    if look.ears == "pricked":
        ear = [(hx - 45, hy - 30), (hx - 30, hy - 120), (hx + 5, hy - 45)]
        fur.polygon(c.pts(ear), extremity=True)
    else:
        ear = c.oval(hx - 28, hy + 10, 24, 58, angle=15)
        fur.polygon(ear, extremity=True)

    def details(draw, colours):
        tip = hx + 40 + snout
        draw.ellipse(c.box(tip - 24, hy - 6, tip + 4, hy + 18), fill=(25, 20, 20))
        draw.ellipse(c.box(hx + 6, hy - 28, hx + 30, hy - 4), fill=(30, 24, 20))
        draw.ellipse(c.box(hx + 16, hy - 24, hx + 23, hy - 17), fill=(255, 255, 255))
        draw.line(c.pts([(hx + 30, hy + 36), (tip - 10, hy + 34)]), fill=(40, 30, 30), width=c.w(4))
        if pose % 2 == 0:
            draw.ellipse(c.box(hx + 40, hy + 32, hx + 70, hy + 75), fill=(232, 96, 110))
        collar = [(220, 40, 40), (40, 90, 200), (40, 150, 80)][pose % 3]
        draw.line(c.pts([(front - 20, top - 5), (front + 40, top + 55)]), fill=collar, width=c.w(18))
        if look.ears == "pricked":
            (x0, y0), (x1, y1), (x2, y2) = ear
            draw.polygon(c.pts([(x0 + 12, y0 - 8), (x1 + 2, y1 + 28), (x2 - 12, y2 - 6)]), fill=(225, 150, 150))
        else:
            draw.line(ear + ear[:1], fill=shade(colours.ear, 0.7), width=c.w(3))

    return details


def rabbit(layers, c, look, pose, rng):
    fur = layers
    fur.ellipse((-140, -210, 100, 0))
    fur.ellipse((-150, -160, 10, 0))
    hx, hy = 110, -240 + (pose % 2) * 10
    fur.ellipse((hx - 70, hy - 60, hx + 65, hy + 55))
    fur.ellipse((hx - 45, -40, hx + 15, 0), extremity=True)
    if look.ears == "lop":
        ears = [c.oval(hx - 30, hy + 40, 26, 85, angle=12), c.oval(hx - 5, hy + 45, 24, 80, angle=-5)]
    else:
        lean = (pose % 3 - 1) * 10
        ears = [
            c.oval(hx - 30, hy - 140, 26, 100, angle=-12 + lean),
            c.oval(hx + 5, hy - 140, 24, 100, angle=12 + lean),
        ]
    for ear in ears:
        fur.polygon(ear, extremity=True)
    if look.coat == "mane":
        fur.polygon(c.oval(hx - 10, hy, 100, 85))

    def details(draw, colours):
        if look.ears == "lop":
            for ear in ears:
                draw.line(ear + ear[:1], fill=shade(colours.main, 0.6), width=c.w(3))
        else:
            inner = c.oval(hx + 5, hy - 145, 11, 78, angle=12 + (pose % 3 - 1) * 10)
            draw.polygon(inner, fill=(240, 160, 170))
        draw.ellipse(c.box(-185, -110, -125, -50), fill=(252, 252, 250), outline=(200, 200, 200), width=c.w(2))
        eye = (150, 40, 40) if colours.main == COLOURS["white"] else (30, 24, 20)
        draw.ellipse(c.box(hx + 12, hy - 20, hx + 40, hy + 10), fill=eye)
        draw.ellipse(c.box(hx + 24, hy - 16, hx + 32, hy - 8), fill=(255, 255, 255))
        draw.polygon(c.pts([(hx + 58, hy + 18), (hx + 66, hy + 18), (hx + 62, hy + 26)]), fill=(230, 130, 150))
        line = (250, 250, 250) if is_dark(colours.main) else (80, 70, 70)
        for dy in (-10, 8, 26):
            draw.line(c.pts([(hx + 60, hy + 24), (hx + 140, hy + 20 + dy)]), fill=line, width=c.w(2))

    return details


def guinea_pig(layers, c, look, pose, rng):
    fur = layers
    fur.ellipse((-175, -190, 150, 0))
    hx, hy = 130, -115
    fur.polygon(c.oval(hx, hy, 85, 70, angle=(pose % 3 - 1) * 6))
    if look.coat == "long":  # a Peruvian's coat falls to the ground
        hem = [(x, 4 + (x // 20 % 2) * 14) for x in range(150, -200, -20)]
        fur.polygon(c.pts([(-175, -120), (hx - 40, -150), *hem]))
    ear = c.oval(hx - 25, hy - 62, 22, 16, angle=-20)
    for x in (-120, -60, 60, 110):
        fur.ellipse((x, -22, x + 36, 4), extremity=True)

    def details(draw, colours):
        if look.coat == "tufts":  # an Abyssinian's rosettes
            for x, y in ((-110, -120), (-40, -150), (30, -120), (-70, -60)):
                for r in (14, 28):
                    draw.arc(c.box(x - r, y - r, x + r, y + r), 200, 520, fill=shade(colours.main, 0.7), width=c.w(4))
        draw.arc(c.box(hx - 85, hy - 70, hx + 85, hy + 70), 110, 190, fill=shade(colours.main, 0.6), width=c.w(4))
        draw.polygon(ear, fill=(230, 160, 150), outline=shade(colours.main, 0.6))
        draw.ellipse(c.box(hx + 10, hy - 30, hx + 38, hy - 2), fill=(25, 20, 18))
        draw.ellipse(c.box(hx + 22, hy - 25, hx + 30, hy - 17), fill=(255, 255, 255))
        draw.ellipse(c.box(hx + 70, hy + 5, hx + 86, hy + 18), fill=(200, 120, 120))
        draw.arc(c.box(hx + 55, hy + 15, hx + 80, hy + 35), 30, 150, fill=(60, 40, 40), width=c.w(3))
        for x in (-120, -60, 60, 110):
            draw.ellipse(c.box(x + 4, -8, x + 32, 6), fill=(236, 170, 160))

    return details


def bird(layers, c, look, pose, rng):
    fur = layers
    tail = 150 if look.tail == "long" else 70
    fur.polygon(c.pts([(-40, -80), (-10, -60), (-40 - tail * 0.45, 20 + tail), (-70 - tail * 0.45, 10 + tail)]))
    fur.polygon(c.oval(0, -120, 62, 105, angle=25))
    hx, hy = 40, -230 + (pose % 2) * 12
    fur.ellipse((hx - 58, hy - 55, hx + 55, hy + 55))
    crest = []
    if look.crest:
        crest = [(hx - 10 + i * 14, hy - 45) for i in range(3)]
        for i, (x, y) in enumerate(crest):
            fur.line([(x, y), (x - 25 - i * 6, y - 80 + i * 14), (x - 50 - i * 8, y - 100 + i * 18)], 12)

    def details(draw, colours):
        wing = shade(colours.main, 0.7)
        draw.polygon(c.oval(-15, -110, 38, 85, angle=30), fill=wing)
        for i in range(4):
            draw.arc(c.box(-50, -170 + i * 30, 10, -130 + i * 30), 20, 160, fill=shade(wing, 0.6), width=c.w(4))
        if look.crest:
            draw.ellipse(c.box(hx + 5, hy + 5, hx + 40, hy + 40), fill=(240, 120, 60))
        if look.coat == "face":
            draw.chord(c.box(hx - 20, hy - 50, hx + 58, hy + 50), -90, 90, fill=(246, 130, 100))
        draw.ellipse(c.box(hx + 10, hy - 25, hx + 32, hy - 3), fill=(20, 20, 20))
        draw.ellipse(c.box(hx + 17, hy - 21, hx + 24, hy - 14), fill=(255, 255, 255))
        beak = (250, 190, 60) if look.tail != "long" or look.crest else (236, 210, 160)
        draw.polygon(
            c.pts([(hx + 44, hy - 18), (hx + 82, hy + 4), (hx + 60, hy + 30), (hx + 46, hy + 18)]),
            fill=beak,
            outline=shade(beak, 0.6),
        )
        draw.line(c.pts([(-400, 10), (400, 2)]), fill=(120, 84, 50), width=c.w(20))
        draw.line(c.pts([(150, 5), (230, -40)]), fill=(120, 84, 50), width=c.w(12))
        draw.ellipse(c.box(215, -70, 265, -35), fill=(96, 170, 80))
        for x in (-10, 22):
            draw.line(c.pts([(x, -30), (x + 6, 6)]), fill=(150, 120, 110), width=c.w(8))
            draw.line(c.pts([(x - 12, 8), (x + 24, 8)]), fill=(150, 120, 110), width=c.w(7))

    return details


def fish(layers, c, look, pose, rng):
    fur = layers
    long_fins = look.tail in ("fan", "long")
    rx, ry = 150 * look.length, 80 * look.size
    fur.ellipse((-rx, -ry, rx, ry))
    base = -rx + 15
    flip = (pose % 3 - 1) * 10
    if look.tail == "fan":
        fur.polygon(c.pts([(base, 0), (base - 170, -150 + flip), (base - 210, 0), (base - 170, 150 + flip)]))
        fur.polygon(c.pts([(-rx * 0.6, -ry + 10), (-rx * 0.2, -ry - 90), (rx * 0.3, -ry + 5)]))
        fur.polygon(c.pts([(-rx * 0.7, ry - 10), (-rx * 0.4, ry + 110), (rx * 0.2, ry - 5)]))
    elif look.tail == "double":
        fur.polygon(c.pts([(base, 0), (base - 150, -110 + flip), (base - 100, 0), (base - 150, 110 + flip)]))
        fur.polygon(c.pts([(-40, -ry + 5), (10, -ry - 55), (60, -ry + 5)]))
    else:
        spread = 120 if long_fins else 70
        fur.polygon(
            c.pts(
                [
                    (base, 0),
                    (base - spread - 40, -spread + flip),
                    (base - spread, 0),
                    (base - spread - 40, spread + flip),
                ]
            )
        )
        fur.polygon(c.pts([(-40, -ry + 5), (-10, -ry - 45), (40, -ry + 2)]))
    fur.polygon(c.pts([(10, ry - 5), (-10, ry + 35), (40, ry - 5)]))

    def details(draw, colours):
        if look.stripe:  # a neon tetra: a stripe of its first colour over a red (or its second colour) tail half
            red = colours.patches[0] if colours.patches else COLOURS["red"]
            draw.polygon(c.pts([(-rx * 0.9, 10), (0, 8), (0, ry * 0.75), (-rx * 0.8, ry * 0.45)]), fill=red)
            draw.polygon(c.pts([(-rx * 0.9, -14), (rx * 0.85, -24), (rx * 0.8, 4), (-rx * 0.9, 10)]), fill=colours.main)
        scale = shade(colours.body, 0.8)
        for i in range(4):
            for j in range(3):
                x, y = -rx * 0.45 + i * rx * 0.28, -ry * 0.4 + j * ry * 0.4
                draw.arc(c.box(x - 16, y - 14, x + 16, y + 14), 270, 90, fill=scale, width=c.w(3))
        draw.arc(
            c.box(rx * 0.35, -ry * 0.6, rx * 0.65, ry * 0.6), 100, 260, fill=shade(colours.body, 0.6), width=c.w(5)
        )
        ex = rx * 0.68
        draw.ellipse(
            c.box(ex - 20, -ry * 0.45 - 20, ex + 20, -ry * 0.45 + 20),
            fill=(255, 255, 255),
            outline=(40, 40, 40),
            width=c.w(2),
        )
        draw.ellipse(c.box(ex - 6, -ry * 0.45 - 12, ex + 14, -ry * 0.45 + 8), fill=(10, 10, 10))
        draw.arc(c.box(rx - 30, -2, rx + 2, 22), 100, 220, fill=(60, 30, 30), width=c.w(4))
        draw.polygon(c.oval(rx * 0.25, ry * 0.35, 30, 12, angle=-30), fill=shade(colours.body, 1.2))

    return details


def lizard(layers, c, look, pose, rng):
    fur = layers
    curl = (pose % 3 - 1) * 30
    fur.line([(-120, -60), (-220, -40), (-300, -30 + curl), (-360, -60 + curl)], 40)
    fur.polygon(c.oval(0, -80, 150, 55 * look.size))
    hx, hy = 170, -110 + (pose % 2) * 10
    fur.polygon(c.pts([(100, -120), (hx + 80, hy + 10), (hx + 70, hy + 40), (100, -40)]))
    fur.ellipse((hx - 50, hy - 40, hx + 60, hy + 40))
    for x, forward in ((-100, -1), (90, 1)):
        fur.line([(x, -60), (x + forward * 40, -20), (x + forward * 60, -4)], 26)
        for toe in (-24, 0, 24):
            fur.line([(x + forward * 60, -4), (x + forward * 60 + toe, 4)], 8)

    def details(draw, colours):
        spots = shade(colours.main, 0.55)
        for i in range(6):
            x = -110 + i * 40
            draw.ellipse(c.box(x - 12, -110, x + 12, -90), fill=spots)
        if look.coat == "spikes":
            for i in range(8):
                x = -120 + i * 32
                draw.polygon(c.pts([(x - 10, -128), (x + 10, -128), (x, -150)]), fill=shade(colours.main, 0.8))
            draw.polygon(c.pts([(hx - 10, hy + 30), (hx + 40, hy + 70), (hx + 60, hy + 30)]), fill=spots)
        draw.ellipse(c.box(hx + 8, hy - 22, hx + 32, hy + 2), fill=(230, 200, 60), outline=(20, 20, 20), width=c.w(2))
        draw.ellipse(c.box(hx + 16, hy - 20, hx + 24, hy), fill=(10, 10, 10))
        draw.line(c.pts([(hx + 20, hy + 22), (hx + 64, hy + 18)]), fill=(50, 40, 30), width=c.w(3))

    return details


def snake(layers, c, look, pose, rng):
    fur = layers
    phase = pose * 0.9
    body = [(-320 + i * 30, -60 - 50 * math.sin(i / 2.2 + phase)) for i in range(19)]
    fur.line(body, 44)
    hx, hy = body[-1]
    fur.polygon(c.oval(hx + 30, hy - 5, 52, 32, angle=-10))

    def details(draw, colours):
        band = colours.patches[0] if colours.patches else shade(colours.main, 0.5)
        for x, y in body[1:-1:2]:
            draw.ellipse(c.box(x - 16, y - 14, x + 16, y + 14), fill=band, outline=shade(band, 0.6), width=c.w(2))
        draw.ellipse(c.box(hx + 40, hy - 28, hx + 58, hy - 10), fill=(20, 20, 20))
        draw.line(c.pts([(hx + 80, hy), (hx + 110, hy + 4), (hx + 120, hy - 8)]), fill=(220, 40, 60), width=c.w(4))
        draw.line(c.pts([(hx + 110, hy + 4), (hx + 122, hy + 12)]), fill=(220, 40, 60), width=c.w(4))

    return details


def tortoise(layers, c, look, pose, rng):
    fur = layers
    for x in (-110, -60, 60, 110):
        fur.ellipse((x - 22, -70, x + 22, 0))
    hx, hy = 190, -90 + (pose % 2) * 15
    fur.line([(110, -80), (hx, hy)], 48)
    fur.ellipse((hx - 30, hy - 32, hx + 45, hy + 30))
    fur.line([(-150, -60), (-190, -40)], 24)

    def details(draw, colours):
        shell = shade(colours.main, 1.15)
        draw.chord(c.box(-180, -260, 180, 20), 180, 360, fill=shell, outline=(80, 56, 30), width=c.w(5))
        draw.rectangle(c.box(-180, -130, 180, -100), fill=shade(shell, 0.8), outline=(80, 56, 30), width=c.w(4))
        for x, y in ((-90, -170), (0, -200), (90, -170), (-40, -140), (50, -140)):
            draw.polygon(c.oval(x, y, 38, 28, steps=6), fill=shade(shell, 1.3), outline=(80, 56, 30))
        draw.ellipse(c.box(hx + 12, hy - 16, hx + 26, hy - 2), fill=(20, 20, 20))
        draw.arc(c.box(hx + 10, hy, hx + 44, hy + 20), 0, 120, fill=(40, 30, 20), width=c.w(3))

    return details


# How each species is placed: its drawing, its backgrounds, where the ground is and the size of the animal.
SPECIES_DRAWINGS = {
    "cat": (cat, ["room", "rug", "garden"], 0.8),
    "dog": (dog, ["garden", "room", "rug"], 0.95),
    "rabbit": (rabbit, ["garden", "rug", "room"], 1.05),
    "guinea_pig": (guinea_pig, ["rug", "garden", "room"], 1.2),
    "bird": (bird, ["room", "garden", "rug"], 1.15),
    "fish": (fish, ["aquarium"], 1.0),
    "lizard": (lizard, ["terrarium"], 1.1),
    "snake": (snake, ["terrarium"], 1.05),
    "tortoise": (tortoise, ["terrarium"], 1.05),
}


@dataclass
class Colours:
    main: tuple
    patches: tuple
    ear: tuple
    body: tuple  # the coat's main colour (a neon tetra's body is silver, its colours are its stripes)


def draw(*, look: Look, colour: str, pose: int) -> Image.Image:
    """One picture of an animal drawn as `look`, in `colour`; each `pose` number gives a different picture."""
    rng = random.Random(f"{look}-{pose}")  # the scene and the pose; the colours do not change them
    function, backgrounds, size = SPECIES_DRAWINGS[look.kind]
    scene = backgrounds[pose % len(backgrounds)]
    ground = rng.randint(500, 540)
    scale = size * rng.uniform(0.9, 1.05) * (1.0 if look.kind != "dog" else 1.0 / max(look.length, 1))
    if look.kind != "fish":  # a small fish is drawn as big as a goldfish, its shape says the rest
        scale *= look.size
    if look.kind == "fish":
        origin = (WIDTH / 2 + rng.randint(-50, 50), HEIGHT / 2 - 20 + rng.randint(-40, 40))
    else:
        origin = (WIDTH / 2 + rng.randint(-60, 40), ground)
    canvas = Canvas(scale, origin)
    colours = palette(colour, look.kind)
    body = COLOURS["silver"] if look.stripe else colours.main
    image = background(scene, rng, ground)
    if look.kind != "fish":
        shadow = ImageDraw.Draw(image)
        shadow.ellipse(canvas.box(-230, -20, 230, 25), fill=shade(image.getpixel((WIDTH // 2, HEIGHT - 5)), 0.8))
    layers = Layers(canvas)
    details = function(layers, canvas, look, pose, rng)

    rng = random.Random(f"{look}-{colour}-{pose}")  # where the patches go
    coat = Image.new("RGB", (WIDTH, HEIGHT), body)
    paint = ImageDraw.Draw(coat)
    box = layers.mask.getbbox() or (0, 0, WIDTH, HEIGHT)
    x0, y0, x1, y1 = box
    if colours.pattern == "tabby":
        stripe = colours.patches[0]
        for x in range(x0 - 200, x1, 40):
            paint.line([(x, y0), (x + 90, y1)], fill=stripe, width=8)
    elif colours.pattern == "points":
        coat.paste(colours.patches[0], mask=layers.points)
    elif colours.patches and look.kind == "lizard":  # spots
        for _ in range(60):
            x, y, r = rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(6, 14)
            paint.ellipse((x - r, y - r, x + r, y + r), fill=colours.patches[0])
    elif colours.patches and look.kind not in ("snake", "tortoise") and not look.stripe:
        # Big patches, the first one over the middle of the body, so each colour shows on every picture.
        width, height = x1 - x0, y1 - y0
        for index, patch in enumerate(colours.patches * 2):
            if index == 0:
                cx, cy = x0 + width * rng.uniform(0.35, 0.65), y0 + height * rng.uniform(0.45, 0.7)
            else:
                cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
            rx, ry = width * rng.uniform(0.15, 0.28), height * rng.uniform(0.15, 0.3)
            paint.polygon(Canvas(1, (0, 0)).oval(cx, cy, rx, ry, angle=rng.randint(0, 180)), fill=patch)
    outline = shade(body, 0.45) if not is_dark(body) else (10, 10, 10)
    # The mask grown by a few pixels, for the outline (a box blur then a threshold: a tenth of MaxFilter's time).
    grown = layers.mask.filter(ImageFilter.BoxBlur(3)).point(lambda value: 255 if value > 12 else 0)
    image.paste(outline, mask=grown)
    image.paste(coat, mask=layers.mask)
    ear_colour = colours.patches[0] if colours.pattern == "tricolour" else colours.main
    details(ImageDraw.Draw(image), Colours(colours.main, colours.patches, ear_colour, body))
    if pose % 2:
        image = ImageOps.mirror(image)
    return image


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
