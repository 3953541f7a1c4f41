"""The demo drawings of `seed_demo`: each species recognisable by its outline, in the animal's colours."""

import io

import pytest
from PIL import Image, ImageChops

from animals.management import demo_pictures
from animals.management.commands.seed_demo import SPECIES
from animals.management.demo_pictures import COLOURS, PATTERNS, Look, draw, palette

LOOKS = {
    "cat": Look("cat"),
    "dog": Look("dog", ears="floppy"),
    "rabbit": Look("rabbit", ears="upright"),
    "guinea pig": Look("guinea_pig"),
    "bird": Look("bird", tail="long"),
    "fish": Look("fish"),
    "lizard": Look("lizard"),
    "snake": Look("snake"),
    "tortoise": Look("tortoise"),
}


def animal_pixels(look, colour, pose=0):
    """The pixels of the animal in its picture: where drawing it in another colour changes the picture (the
    scene depends on the look and pose only)."""
    picture = draw(look=look, colour=colour, pose=pose)
    other = draw(look=look, colour="Green" if "green" not in colour.lower() else "Red", pose=pose)
    changed = ImageChops.difference(picture, other).convert("L").point(lambda value: 255 if value > 30 else 0)
    pairs = zip(picture.get_flattened_data(), changed.get_flattened_data(), strict=True)
    return [pixel for pixel, inside in pairs if inside]


def silhouette(look, pose=0):
    """The animal's outline as a 1-bit mask (where a black and a white animal differ), facing right."""
    black = draw(look=look, colour="Black", pose=pose)
    white = draw(look=look, colour="White", pose=pose)
    return ImageChops.difference(black, white).convert("L").point(lambda value: 255 if value > 100 else 0).convert("1")


def share(pixels, test):
    return sum(1 for pixel in pixels if test(pixel)) / len(pixels)


def blackish(pixel):
    return max(pixel) < 70


def whiteish(pixel):
    return min(pixel) > 215


def near(rgb, distance=45):
    return lambda pixel: sum((a - b) ** 2 for a, b in zip(pixel, rgb, strict=True)) < distance**2


@pytest.mark.parametrize("look", [LOOKS["cat"], LOOKS["dog"], LOOKS["rabbit"], LOOKS["guinea pig"]], ids=str)
def test_a_black_and_white_animal_is_drawn_black_with_white_patches(look):
    for pose in range(3):
        pixels = animal_pixels(look, "Black and white", pose)
        assert share(pixels, blackish) > 0.25
        assert share(pixels, whiteish) > 0.1


@pytest.mark.parametrize("kind", ["cat", "dog", "rabbit", "guinea pig", "bird", "fish", "lizard"])
def test_a_brown_animal_is_drawn_brown(kind):
    pixels = animal_pixels(LOOKS[kind], "Brown")
    assert share(pixels, near(COLOURS["brown"])) > 0.5
    assert share(pixels, whiteish) < 0.1


def test_an_orange_goldfish_is_orange_and_a_grey_cat_grey():
    assert share(animal_pixels(Look("fish", tail="double"), "Orange"), near(COLOURS["orange"])) > 0.5
    assert share(animal_pixels(LOOKS["cat"], "Grey"), near(COLOURS["grey"])) > 0.5


def test_a_red_dog_is_reddish_brown_and_a_red_fish_red():
    assert palette("Red", "dog").main != palette("Red", "fish").main == COLOURS["red"]
    assert share(animal_pixels(LOOKS["dog"], "Red"), near(demo_pictures.FUR_COLOURS["red"])) > 0.5


def test_patterns():
    assert palette("Tricolour").patches and palette("Tricolour").pattern == "tricolour"
    assert palette("Seal point").pattern == "points"
    silver_tabby = palette("Silver tabby")
    assert silver_tabby.pattern == "tabby" and silver_tabby.main == COLOURS["silver"]
    assert palette("Black and white") == palette("black & white")
    assert palette("Sky-blue pink").main == COLOURS[demo_pictures.UNKNOWN_COLOUR]  # a word it does not know


def test_every_demo_colour_is_a_colour_the_drawing_knows():
    known = set(COLOURS) | set(" ".join(PATTERNS).split()) | {"and"}
    for spec in SPECIES:
        for breed in spec.breeds:
            for colour in breed.colours:
                words = colour.lower().replace(",", " ").split()
                assert set(words) <= known, (breed.name, colour)


def test_a_siamese_has_dark_points_on_a_light_coat():
    pixels = animal_pixels(LOOKS["cat"], "Seal point")
    assert share(pixels, near(COLOURS["cream"])) > 0.4
    assert share(pixels, near(COLOURS["chocolate"])) > 0.05


def test_each_species_has_its_own_outline():
    outlines = {kind: silhouette(look) for kind, look in LOOKS.items()}
    kinds = list(outlines)
    for i, first in enumerate(kinds):
        for second in kinds[i + 1 :]:
            a, b = outlines[first], outlines[second]
            overlap = ImageChops.logical_and(a, b).histogram()[-1]
            union = ImageChops.logical_or(a, b).histogram()[-1]
            assert overlap / union < 0.6, (first, second, overlap / union)


def changed_share(first, second):
    difference = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).convert("L")
    return sum(1 for value in difference.get_flattened_data() if value > 30) / (first.width * first.height)


def test_dogs_have_floppy_or_pricked_ears_and_rabbits_upright_or_lop_ears():
    floppy, pricked = silhouette(Look("dog", ears="floppy")), silhouette(Look("dog", ears="pricked"))
    assert changed_share(floppy, pricked) > 0.005
    # A pricked ear stands above the head: the pricked dog's outline reaches higher.
    assert pricked.getbbox()[1] < floppy.getbbox()[1] - 20
    upright, lop = silhouette(Look("rabbit", ears="upright")), silhouette(Look("rabbit", ears="lop"))
    assert upright.getbbox()[1] < lop.getbbox()[1] - 80
    # A rabbit's ears are long: the outline is taller than a cat's.
    cat = silhouette(LOOKS["cat"])
    assert upright.getbbox()[3] - upright.getbbox()[1] > cat.getbbox()[3] - cat.getbbox()[1]


def test_each_pose_is_a_different_picture():
    for look in LOOKS.values():
        pictures = [draw(look=look, colour="Brown and white", pose=pose) for pose in range(3)]
        for i in range(3):
            for j in range(i + 1, 3):
                assert changed_share(pictures[i], pictures[j]) > 0.1, (look, i, j)


def test_pictures_are_the_same_each_time_and_make_a_jpeg():
    look = LOOKS["cat"]
    assert changed_share(draw(look=look, colour="Ginger", pose=1), draw(look=look, colour="Ginger", pose=1)) == 0
    image = Image.open(io.BytesIO(demo_pictures.jpeg(draw(look=look, colour="Ginger", pose=1))))
    assert image.format == "JPEG" and image.size == (demo_pictures.WIDTH, demo_pictures.HEIGHT)
