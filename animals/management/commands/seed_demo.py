"""Fill the shop with demo species, breeds, animals (with drawn photos) and demo users. Safe to run again."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils.text import slugify

from animals.management import demo_pictures
from animals.management.demo_pictures import Look
from animals.models import FACTS, Animal, AnimalPhoto, Breed, Species, Vaccination
from animals.services import catalogue_changed, photo_prepare

BATCH = 1000
POSES = 3  # drawings per breed and colour, each in another pose: an animal's photos (up to 3) all differ
POOL_DIR = "animals/demo"
USERS = [
    # e-mail, password, is_staff, is_superuser
    ("admin@petshop.example", "petshop-admin-demo", True, True),
    ("staff@petshop.example", "petshop-staff-demo", True, False),
    ("customer@petshop.example", "petshop-customer-demo", False, False),
]
STAFF_GROUP = "Shop staff"
STAFF_APPS = ["animals", "orders", "payments", "notifications"]


@dataclass(frozen=True)
class DemoBreed:
    """A demo breed: how it is drawn, the colours it comes in, its retail prices (whole amounts from `prices[0]`
    to `prices[1]` in steps of the species' `price_step`) and how many are sold together (`stock`; a batch of
    more than one is named as a group of `group`, e.g. "Neon tetras, group of 10")."""

    name: str
    look: Look
    colours: tuple[str, ...]
    prices: tuple[int, int]
    stock: tuple[int, int] = (1, 1)
    group: str = ""


@dataclass(frozen=True)
class DemoSpecies:
    """A demo species, its breeds and what is true of all its animals."""

    name: str
    slug: str
    plural: str
    # The words customers search with (Species.search_terms, young_word, young_word_plural).
    search_terms: str
    young_word: str
    young_word_plural: str
    description: str
    care_guide: str
    breeds: tuple[DemoBreed, ...]
    price_step: int  # every price is a multiple of it...
    just_below: bool = False  # ...or, for fish, a cent below one (4.99)
    max_days: int = 2900  # the oldest animal's age
    vaccinated: bool = False  # the species has vaccinations (fish, birds and reptiles have none)
    microchipped: bool = False
    neutered: bool = False
    place: str = "pen"  # where a batch lives: tells apart two batches of the same breed and size
    group_note: str = ""
    health_notes: tuple[str, ...] = ("", "", "", "Vet-checked this week, all clear.")
    care_guide_young: str = ""  # the guide for an animal under `adult_at_months` (care_guide is the adult one)
    adult_at_months: int = 12
    not_facts: frozenset[str] = frozenset()  # the facts (animals.models.FACTS) that do not apply to the species
    sex_required: bool = False  # mammals: an individual has a known sex

    @property
    def facts(self) -> list[str]:
        return [name for name in FACTS if name not in self.not_facts]

    def prices(self, breed: DemoBreed) -> list[Decimal]:
        low, high = breed.prices
        cents = Decimal("0.01") if self.just_below else Decimal("0.00")
        return [Decimal(whole) - cents for whole in range(low, high + 1, self.price_step)]


MAMMAL_NOTES = ("", "", "", "Dewormed twice.", "Vet-checked this week, all clear.", "Needs a second vaccination.")

SPECIES = [
    DemoSpecies(
        name="Dog",
        slug="dogs",
        plural="Dogs",
        search_terms="doggy, doggie, doggies, hound, hounds, pooch",
        young_word="puppy",
        young_word_plural="puppies",
        description="Puppies and young dogs from trusted local breeders, raised in family homes.",
        care_guide_young="Feed a quality puppy food three to four times a day. Plan short walks and lots of play, "
        "puppy classes from 12 weeks and the second round of vaccinations. Never leave a puppy alone for long.",
        care_guide="Feed a quality adult food twice a day, in the amount for your dog's weight. Plan at least one "
        "long walk a day, yearly vet checks and boosters, and regular grooming. Never leave a dog alone all day.",
        sex_required=True,
        price_step=50,
        vaccinated=True,
        microchipped=True,
        neutered=True,
        health_notes=MAMMAL_NOTES,
        breeds=(
            DemoBreed("Labrador Retriever", Look("dog", ears="floppy"), ("Black", "Golden", "Chocolate"), (850, 1500)),
            DemoBreed("Golden Retriever", Look("dog", ears="floppy", coat="long"), ("Golden", "Cream"), (1000, 1800)),
            DemoBreed("Beagle", Look("dog", ears="floppy", size=0.85), ("Tricolour", "Tan and white"), (700, 1200)),
            DemoBreed("Border Collie", Look("dog", ears="pricked"), ("Black and white", "Red and white"), (600, 1100)),
            DemoBreed(
                "Dachshund", Look("dog", ears="floppy", legs=0.45, length=1.5), ("Red", "Black and tan"), (900, 1600)
            ),
            DemoBreed("German Shepherd", Look("dog", ears="pricked"), ("Black and tan", "Sable"), (900, 1800)),
            DemoBreed(
                "French Bulldog",
                Look("dog", ears="pricked", size=0.8, legs=0.7, length=0.9),
                ("Fawn", "Cream", "Black and white"),
                (1500, 3000),
            ),
            DemoBreed(
                "Cocker Spaniel",
                Look("dog", ears="floppy", size=0.85),
                ("Golden", "Black", "Liver and white"),
                (800, 1400),
            ),
            DemoBreed(
                "Mixed breed", Look("dog", ears="floppy"), ("Brown", "Black and white", "Brown and white"), (250, 600)
            ),
        ),
    ),
    DemoSpecies(
        name="Cat",
        slug="cats",
        plural="Cats",
        search_terms="kitty, kitties, moggy, feline, felines",
        young_word="kitten",
        young_word_plural="kittens",
        description="Kittens and cats, litter-trained and used to being handled.",
        care_guide_young="Kittens need kitten food four times a day until 4 months, then three. Keep them indoors "
        "until the vaccinations are complete, give them toys to chase and a clean litter tray.",
        care_guide="Give fresh water, two meals a day and a clean litter tray. Cats need scratching "
        "posts, safe places to hide and a vet check once a year.",
        sex_required=True,
        price_step=50,
        vaccinated=True,
        microchipped=True,
        neutered=True,
        health_notes=MAMMAL_NOTES,
        breeds=(
            DemoBreed("British Shorthair", Look("cat"), ("Grey", "Lilac", "Cream"), (700, 1200)),
            DemoBreed("Maine Coon", Look("cat", coat="long"), ("Brown tabby", "Silver tabby", "Black"), (900, 1800)),
            DemoBreed("Siamese", Look("cat"), ("Seal point", "Blue point"), (500, 900)),
            DemoBreed("Ragdoll", Look("cat", coat="long"), ("Seal point", "Blue point", "Cream"), (800, 1500)),
            DemoBreed(
                "Domestic Shorthair",
                Look("cat"),
                ("Tabby", "Black and white", "Ginger", "Calico", "Tortoiseshell", "Black"),
                (100, 250),
            ),
        ),
    ),
    DemoSpecies(
        name="Rabbit",
        slug="rabbits",
        plural="Rabbits",
        search_terms="bunny, bunnies",
        young_word="kit",
        young_word_plural="kits",
        description="Friendly rabbits, best adopted in pairs.",
        care_guide_young="Young rabbits need unlimited hay and pellets made for growing rabbits, with fresh greens "
        "brought in slowly. Keep them with a companion and handle them gently every day.",
        care_guide="Rabbits are social: keep them in pairs, with a large hutch and a daily run. "
        "Unlimited hay, fresh greens and a vaccination against myxomatosis and RHD.",
        adult_at_months=6,
        not_facts=frozenset({"hypoallergenic"}),
        sex_required=True,
        price_step=5,
        max_days=2000,
        vaccinated=True,
        neutered=True,
        health_notes=MAMMAL_NOTES,
        breeds=(
            DemoBreed(
                "Netherland Dwarf", Look("rabbit", ears="upright", size=0.85), ("White", "Grey", "Black"), (50, 90)
            ),
            DemoBreed("Holland Lop", Look("rabbit", ears="lop"), ("Brown", "Orange", "Black and white"), (60, 110)),
            DemoBreed("Lionhead", Look("rabbit", ears="upright", coat="mane"), ("White", "Brown", "Grey"), (50, 90)),
            DemoBreed("Rex", Look("rabbit", ears="upright"), ("Black", "Chocolate", "Brown and white"), (40, 75)),
        ),
    ),
    DemoSpecies(
        name="Guinea pig",
        slug="guinea-pigs",
        plural="Guinea pigs",
        search_terms="cavy, cavies",
        young_word="pup",
        young_word_plural="pups",
        description="Chatty guinea pigs that love company and fresh vegetables.",
        care_guide_young="Young guinea pigs grow fast: unlimited hay, pellets for young guinea pigs and vitamin C "
        "every day. Keep them with a companion of the same sex.",
        care_guide="Keep at least two together. They need vitamin C every day (fresh peppers, greens), "
        "unlimited hay and a spacious, draught-free cage.",
        adult_at_months=6,
        not_facts=frozenset(
            {
                "adult_size",
                "good_with_dogs",
                "good_with_cats",
                "house_trained",
                "vaccinated",
                "neutered",
                "microchipped",
            }
        ),
        sex_required=True,
        price_step=5,
        max_days=1500,
        group_note="Brothers or sisters raised together",
        breeds=(
            DemoBreed(
                "American",
                Look("guinea_pig"),
                ("Tortoiseshell", "Brown and white", "Cream"),
                (25, 40),
                (1, 4),
                "American guinea pigs",
            ),
            DemoBreed(
                "Abyssinian",
                Look("guinea_pig", coat="tufts"),
                ("Brown and white", "Black and white"),
                (30, 45),
                (1, 3),
                "Abyssinian guinea pigs",
            ),
            DemoBreed(
                "Peruvian",
                Look("guinea_pig", coat="long"),
                ("Cream", "Black and white"),
                (40, 60),
                (1, 2),
                "Peruvian guinea pigs",
            ),
            DemoBreed(
                "Teddy", Look("guinea_pig"), ("Brown", "Cream", "Tortoiseshell"), (30, 50), (1, 3), "Teddy guinea pigs"
            ),
        ),
    ),
    DemoSpecies(
        name="Bird",
        slug="birds",
        plural="Birds",
        search_terms="birdie, birdies",
        young_word="chick",
        young_word_plural="chicks",
        description="Budgies, canaries and parrots, hand-reared where possible.",
        care_guide_young="Young birds are still learning to eat on their own: soaked seed, egg food and fresh "
        "greens every day, a quiet place and short, gentle handling to tame them.",
        care_guide="Birds need a roomy cage, daily time out of it, a varied seed and fresh food diet, "
        "clean water and company of their own kind.",
        adult_at_months=6,
        not_facts=frozenset(
            {
                "coat_length",
                "adult_size",
                "good_with_dogs",
                "good_with_cats",
                "house_trained",
                "hypoallergenic",
                "vaccinated",
                "neutered",
                "microchipped",
            }
        ),
        price_step=5,
        max_days=1500,
        place="aviary",
        group_note="Hand-reared together in our aviary",
        breeds=(
            DemoBreed(
                "Budgerigar",
                Look("bird", tail="long"),
                ("Green and yellow", "Blue and white", "Yellow"),
                (25, 45),
                (2, 8),
                "Budgies",
            ),
            DemoBreed("Canary", Look("bird", tail="short"), ("Yellow", "Orange", "Red"), (60, 100), (1, 4), "Canaries"),
            DemoBreed("Cockatiel", Look("bird", tail="long", crest=True), ("Grey", "White and yellow"), (100, 180)),
            DemoBreed(
                "Lovebird", Look("bird", tail="short", coat="face"), ("Green", "Blue"), (70, 120), (2, 2), "Lovebirds"
            ),
        ),
    ),
    DemoSpecies(
        name="Fish",
        slug="fish",
        plural="Fish",
        search_terms="fishes",
        young_word="fry",
        young_word_plural="fry",
        description="Healthy tropical and cold-water fish from our own aquariums.",
        care_guide_young="Young fish need small, frequent meals (fine flakes or baby brine shrimp two or three times "
        "a day) and very clean water: test it twice a week.",
        care_guide="Cycle the aquarium before fish arrive, test the water weekly and change a quarter of it. "
        "Feed small amounts once or twice a day.",
        adult_at_months=4,
        not_facts=frozenset(
            {
                "coat_length",
                "energy_level",
                "good_with_children",
                "good_with_dogs",
                "good_with_cats",
                "house_trained",
                "hypoallergenic",
                "vaccinated",
                "neutered",
                "microchipped",
            }
        ),
        price_step=1,
        just_below=True,
        max_days=700,
        place="tank",
        group_note="Bred in our own tanks",
        health_notes=("", "", "", "Quarantined for two weeks, eating well."),
        breeds=(
            DemoBreed(
                "Goldfish",
                Look("fish", tail="double", length=0.8, size=1.1),
                ("Orange", "Orange and white", "Red and white"),
                (5, 15),
                (3, 12),
                "Goldfish",
            ),
            DemoBreed(
                "Neon Tetra",
                Look("fish", length=0.8, size=0.6, stripe="neon"),
                ("Blue and red",),
                (2, 4),
                (10, 30),
                "Neon tetras",
            ),
            DemoBreed(
                "Guppy",
                Look("fish", tail="long", length=0.7, size=0.7),
                ("Orange and blue", "Red", "Yellow and black"),
                (3, 7),
                (5, 15),
                "Guppies",
            ),
            DemoBreed("Betta", Look("fish", tail="fan", length=0.7), ("Blue", "Red", "Blue and red"), (15, 30)),
            DemoBreed(
                "Platy", Look("fish", length=0.8), ("Orange", "Red", "Yellow and black"), (3, 6), (5, 15), "Platies"
            ),
        ),
    ),
    DemoSpecies(
        name="Reptile",
        slug="reptiles",
        plural="Reptiles",
        search_terms="lizard, lizards, snake, snakes, tortoise, tortoises",
        young_word="hatchling",
        young_word_plural="hatchlings",
        description="Captive-bred lizards, snakes and tortoises, handled daily and feeding well.",
        care_guide_young="Young reptiles eat more often than adults (small insects daily for lizards, a pinkie "
        "every 5 to 7 days for snakes) and need the vivarium's warm end and UVB every day.",
        care_guide="Reptiles need a heated vivarium with a warm and a cool end, UVB lighting for most species, "
        "the right humidity and a diet that suits the species. Ask us before you buy.",
        adult_at_months=18,
        not_facts=frozenset(
            {
                "coat_length",
                "good_with_dogs",
                "good_with_cats",
                "house_trained",
                "hypoallergenic",
                "vaccinated",
                "neutered",
            }
        ),
        price_step=10,
        max_days=3000,
        place="vivarium",
        health_notes=("", "", "", "Shed well last week.", "Feeding well on insects."),
        breeds=(
            DemoBreed("Leopard Gecko", Look("lizard", size=0.85), ("Yellow and black", "Orange and black"), (120, 250)),
            DemoBreed("Bearded Dragon", Look("lizard", coat="spikes"), ("Sand", "Orange"), (150, 300)),
            DemoBreed("Corn Snake", Look("snake"), ("Orange and red", "Red and black"), (120, 250)),
            DemoBreed("Hermann's Tortoise", Look("tortoise"), ("Brown", "Olive"), (200, 350)),
        ),
    ),
]
NAMES = [
    "Bella",
    "Max",
    "Luna",
    "Charlie",
    "Daisy",
    "Milo",
    "Coco",
    "Teddy",
    "Rosie",
    "Oscar",
    "Bailey",
    "Ruby",
    "Leo",
    "Molly",
    "Buddy",
    "Poppy",
    "Jasper",
    "Willow",
    "Pepper",
    "Biscuit",
    "Maple",
    "Ziggy",
    "Hazel",
    "Nugget",
    "Olive",
    "Pickle",
    "Sunny",
    "Mango",
    "Clover",
    "Pip",
    "Archie",
    "Nala",
    "Simba",
    "Toffee",
    "Bramble",
    "Cookie",
    "Dotty",
    "Fudge",
    "Ginger",
    "Honey",
    "Indie",
    "Juno",
    "Kiwi",
    "Lola",
    "Marley",
    "Nutmeg",
    "Otis",
    "Peanut",
    "Quincy",
    "Rolo",
    "Sage",
    "Tilly",
    "Udo",
    "Velvet",
    "Winnie",
    "Yogi",
    "Zara",
    "Alfie",
    "Bonnie",
    "Cinnamon",
    "Dexter",
    "Ellie",
    "Frankie",
    "Gizmo",
    "Hugo",
    "Ivy",
    "Jack",
    "Koda",
    "Lulu",
    "Misty",
    "Noodle",
    "Orla",
    "Pudding",
    "Rufus",
    "Skye",
    "Tango",
    "Waffles",
    "Bean",
    "Button",
    "Crumble",
]
# Second names, for when every first name is taken within a species ("Bella Mae").
SECOND_NAMES = [
    "Mae",
    "Rose",
    "Belle",
    "Junior",
    "Star",
    "Bean",
    "Blue",
    "Sky",
    "Sugar",
    "Pie",
    "Button",
    "Moon",
    "Joy",
    "Grace",
    "Lou",
    "Jo",
    "Dot",
    "Ray",
    "Bee",
    "Jay",
    "Finn",
    "Fern",
    "Wren",
    "Moss",
    "Pearl",
    "Cloud",
    "Spark",
    "Dash",
    "Ace",
    "Bo",
    "Kit",
    "Lark",
    "Mint",
    "Nell",
    "Plum",
    "Rue",
    "Sol",
    "Tess",
    "Vee",
    "Zed",
]
# Each breed's adult size, coat length and energy level, and whether it is hypoallergenic (what is said of it as
# a breed); only the facts that apply to its species are recorded.
BREED_FACTS = {
    "Labrador Retriever": ("large", "short", "high", False),
    "Golden Retriever": ("large", "long", "high", False),
    "Beagle": ("medium", "short", "high", False),
    "Border Collie": ("medium", "medium", "high", False),
    "Dachshund": ("small", "short", "moderate", False),
    "German Shepherd": ("large", "medium", "high", False),
    "French Bulldog": ("small", "short", "low", False),
    "Cocker Spaniel": ("medium", "medium", "moderate", False),
    "Mixed breed": ("medium", "short", "moderate", False),
    "British Shorthair": ("medium", "short", "low", False),
    "Maine Coon": ("large", "long", "moderate", False),
    "Siamese": ("medium", "short", "high", False),
    "Ragdoll": ("large", "long", "low", False),
    "Domestic Shorthair": ("medium", "short", "moderate", False),
    "Netherland Dwarf": ("small", "short", "high", False),
    "Holland Lop": ("small", "medium", "moderate", False),
    "Lionhead": ("small", "long", "moderate", False),
    "Rex": ("medium", "short", "moderate", False),
    "American": ("small", "short", "moderate", False),
    "Abyssinian": ("small", "medium", "high", False),
    "Peruvian": ("small", "long", "low", False),
    "Teddy": ("small", "short", "moderate", False),
    "Budgerigar": ("small", "", "high", False),
    "Canary": ("small", "", "moderate", False),
    "Cockatiel": ("medium", "", "moderate", False),
    "Lovebird": ("small", "", "high", False),
    "Goldfish": ("medium", "", "", False),
    "Neon Tetra": ("small", "", "", False),
    "Guppy": ("small", "", "", False),
    "Betta": ("small", "", "", False),
    "Platy": ("small", "", "", False),
    "Leopard Gecko": ("small", "", "low", False),
    "Bearded Dragon": ("medium", "", "moderate", False),
    "Corn Snake": ("medium", "", "low", False),
    "Hermann's Tortoise": ("small", "", "low", False),
}
# Vaccinations by species: (name, given at this age in weeks, next dose due so many weeks later).
VACCINATIONS = {
    "dogs": [("DHPP, first dose", 8, 4), ("DHPP, second dose", 12, 4), ("Rabies", 16, 52)],
    "cats": [("FVRCP, first dose", 8, 4), ("FVRCP, second dose", 12, 4), ("Rabies", 16, 52)],
    "rabbits": [("Myxomatosis and RHD", 10, 52)],
}
CHIP_PREFIX = "985141"  # then 9 digits: the demo animal's number, so that every demo chip number is unique
SPECIAL_NEEDS = {
    "dogs": "Needs a home without cats, and a calm introduction to other dogs.",
    "cats": "Deaf in one ear: best in a quiet home.",
    "rabbits": "Needs a companion rabbit; we can pair one.",
    "reptiles": "Needs a vivarium of at least 120 cm.",
}
TRAITS = ["playful", "gentle", "curious", "calm", "cheeky", "loving"]
HOMES = ["quiet", "lively", "family", "patient"]


def progress(stdout, done, total, width=40):
    filled = width * done // total if total else width
    stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} animals", ending="")
    stdout.flush()


class Names:
    """Names not yet used within each species: a first name while one is free, then "Bella Mae", then numbered."""

    def __init__(self, taken):
        self.taken = taken  # {species slug: set of names}

    def individual(self, rng, spec):
        taken = self.taken[spec.slug]
        free = [name for name in rng.sample(NAMES, 8) if name not in taken]
        if free:
            return self.take(spec, free[0])
        for _ in range(8):
            name = f"{rng.choice(NAMES)} {rng.choice(SECOND_NAMES)}"
            if name not in taken:
                return self.take(spec, name)
        return self.numbered(spec, f"{rng.choice(NAMES)} {rng.choice(SECOND_NAMES)}")

    def group(self, spec, breed, count):
        """A group's name: "Neon tetras, group of 10", then "Neon tetras, group of 10 (tank 2)" and so on."""
        return self.numbered(spec, f"{breed.group}, group of {count}", f" ({spec.place} {{}})")

    def numbered(self, spec, name, suffix=" {}"):
        taken = self.taken[spec.slug]
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = name + suffix.format(number)
        return self.take(spec, candidate)

    def take(self, spec, name):
        self.taken[spec.slug].add(name)
        return name


class Command(BaseCommand):
    help = "Create demo species, breeds, N animals with photos and demo users. Running it again adds nothing."

    def add_arguments(self, parser):
        parser.add_argument("--animals", type=int, default=60, help="How many demo animals there should be.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo animals first.")

    def handle(self, *args, animals, reset, **options):
        if animals < 0:
            raise CommandError("--animals must be 0 or more.")
        if reset:
            deleted, _ = Animal.objects.filter(is_demo=True).delete()
            self.stdout.write(f"Deleted the demo animals ({deleted} rows).")
        species, breeds = self.seed_species()
        created = self.seed_animals(animals, species, breeds)
        self.seed_users()
        self.update_statistics()
        catalogue_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} animals; there are now {animals} or more demo animals.")
        )
        self.stdout.write("Log in with:")
        for email, password, is_staff, is_superuser in USERS:
            role = "superuser" if is_superuser else "staff" if is_staff else "customer"
            self.stdout.write(f"  {role:9} {email} / {password}")

    def update_statistics(self):
        """Give PostgreSQL's planner statistics for the tables just filled, as its docs advise after a bulk load.

        Until autovacuum gets to them (or at all, when it is off) the planner guesses, and guesses badly with
        10,000 animals (a sequential scan of every photo for a page of 24 cards). VACUUM also marks the pages
        all-visible so counts can read an index alone; it cannot run inside a transaction, ANALYZE can.
        """
        if connection.vendor != "postgresql":
            return
        tables = "animals_species, animals_breed, animals_animal, animals_animalphoto"
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {tables}")

    def seed_species(self):
        """The demo species and breeds ({slug: Species}, {(species slug, breed name): Breed}); existing rows are
        kept as staff left them."""
        species, breeds = {}, {}
        for order, spec in enumerate(SPECIES):
            row, created = Species.objects.get_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "plural": spec.plural,
                    "search_terms": spec.search_terms,
                    "young_word": spec.young_word,
                    "young_word_plural": spec.young_word_plural,
                    "description": spec.description,
                    "care_guide": spec.care_guide,
                    "care_guide_young": spec.care_guide_young,
                    "adult_at_months": spec.adult_at_months,
                    "facts": spec.facts,
                    "sex_required": spec.sex_required,
                    "display_order": order,
                },
            )
            if not created and not row.care_guide_young:
                # Seeded before species had young guides (the old demo guide of dogs was about puppies): the
                # guides per life stage, once; what staff wrote since is kept.
                row.care_guide, row.care_guide_young = spec.care_guide, spec.care_guide_young
                row.adult_at_months = spec.adult_at_months
                row.save(update_fields=["care_guide", "care_guide_young", "adult_at_months"])
            species[spec.slug] = row
            for breed in spec.breeds:
                breeds[spec.slug, breed.name] = Breed.objects.get_or_create(
                    species=row, slug=slugify(breed.name), defaults={"name": breed.name}
                )[0]
        return species, breeds

    def picture(self, spec, breed, colour, pose):
        """The stored files of one drawing (drawn and processed the first time it is needed, then shared by every
        demo animal of that breed and colour in that pose)."""
        key = (spec.slug, breed.name, colour, pose)
        names = self.pictures.get(key)
        if names is None:
            stem = f"{POOL_DIR}/{spec.slug}-{slugify(breed.name)}-{slugify(colour)}-{pose}"
            names = {kind: f"{stem}-{kind}.jpg" for kind in ("original", "thumb", "display")}
            if not all(default_storage.exists(name) for name in names.values()):
                image = demo_pictures.draw(look=breed.look, colour=colour, pose=pose)
                prepared = photo_prepare(upload=ContentFile(demo_pictures.jpeg(image), name=f"{stem}.jpg"))
                for kind, content in [
                    ("original", prepared.original),
                    ("thumb", prepared.thumbnail),
                    ("display", prepared.display),
                ]:
                    if default_storage.exists(names[kind]):
                        default_storage.delete(names[kind])
                    default_storage.save(names[kind], content)
            self.pictures[key] = names
        return names

    def seed_animals(self, target, species, breeds):
        existing = Animal.objects.filter(is_demo=True).count()
        to_create = max(target - existing, 0)
        if not to_create:
            return 0
        rng = random.Random(existing)
        today = date.today()
        self.pictures = {}
        slug_of = {row.pk: slug for slug, row in species.items()}
        taken = {spec.slug: set() for spec in SPECIES}
        for species_id, name in Animal.objects.filter(species__in=species.values()).values_list("species", "name"):
            taken[slug_of[species_id]].add(name)
        self.chips = set(Animal.objects.exclude(microchip_number=None).values_list("microchip_number", flat=True))
        names = Names(taken)
        # How many demo animals of each breed and colour there are: the next one's main photo is the next pose,
        # so two animals of the same breed and colour created one after the other never share their main photo.
        poses = Counter()
        rows = Animal.objects.filter(is_demo=True).values("breed", "colour").annotate(n=Count("pk"))
        for row in rows:
            poses[row["breed"], row["colour"]] = row["n"]
        done = 0
        while done < to_create:
            size = min(BATCH, to_create - done)
            batch = [self.make_animal(rng, existing + done + i + 1, species, breeds, names, today) for i in range(size)]
            slugs = set(Animal.objects.filter(slug__in=[a.slug for a, *_ in batch]).values_list("slug", flat=True))
            for animal, *_ in batch:
                if animal.slug in slugs:
                    animal.slug = f"{animal.slug}-{rng.randrange(16**6):06x}"
            with transaction.atomic():
                Animal.objects.bulk_create([animal for animal, *_ in batch])
                photos = []
                for animal, spec, breed, label in batch:
                    first = poses[animal.breed_id, animal.colour]
                    poses[animal.breed_id, animal.colour] += 1
                    for position in range(min(rng.choice([1, 1, 2, 3]), POSES)):
                        picture = self.picture(spec, breed, animal.colour, (first + position) % POSES)
                        photos.append(
                            AnimalPhoto(
                                animal=animal,
                                image=picture["original"],
                                thumbnail=picture["thumb"],
                                display=picture["display"],
                                alt_text=label + ("" if position == 0 else f", photo {position + 1}"),
                                is_main=position == 0,
                                position=position,
                            )
                        )
                AnimalPhoto.objects.bulk_create(photos)
                Vaccination.objects.bulk_create(
                    [shot for animal, spec, *_ in batch for shot in self.vaccinations(animal, spec, today)]
                )
            done += size
            progress(self.stdout, done, to_create)
        self.stdout.write("")
        return to_create

    def vaccinations(self, animal, spec, today):
        """The vaccinations a vaccinated demo animal was given by its age (the first dose at least)."""
        if not animal.vaccinated:
            return []
        shots = []
        for name, weeks, next_in in VACCINATIONS.get(spec.slug, []):
            given = animal.date_of_birth + timedelta(weeks=weeks)
            if given > today and shots:
                break
            given = min(given, today)
            shots.append(
                Vaccination(animal=animal, name=name, given_on=given, next_due=given + timedelta(weeks=next_in))
            )
        return shots

    def facts(self, rng, number, spec, breed, days, count):
        """The facts of a demo animal that apply to its species: its breed's size, coat and energy, and answers
        that vary (good with children mostly yes, house-trained once old enough...)."""
        size, coat, energy, hypoallergenic = BREED_FACTS.get(breed.name, ("", "", "", False))
        answers = [Animal.Answer.YES] * 6 + [Animal.Answer.NO, Animal.Answer.UNKNOWN, Animal.Answer.UNKNOWN]
        values = {
            "adult_size": size,
            "coat_length": coat,
            "energy_level": energy,
            "hypoallergenic": hypoallergenic,
            "good_with_children": rng.choice(answers),
            "good_with_dogs": Animal.Answer.YES if spec.slug == "dogs" else rng.choice(answers),
            "good_with_cats": Animal.Answer.YES if spec.slug == "cats" else rng.choice(answers),
            "house_trained": spec.slug == "cats" or (days > 180 and rng.random() < 0.7),
            "special_needs": SPECIAL_NEEDS.get(spec.slug, "") if count == 1 and rng.random() < 0.04 else "",
            "vaccinated": spec.vaccinated and rng.random() < 0.85,
            "microchipped": spec.microchipped and rng.random() < 0.9,
            "neutered": spec.neutered and days > 180 and rng.random() < 0.5,
        }
        facts = {name: value for name, value in values.items() if name in spec.facts}
        if facts.get("microchipped"):
            chip = f"{CHIP_PREFIX}{number:09d}"
            if chip not in self.chips:  # never another animal's number
                self.chips.add(chip)
                facts["microchip_number"] = chip
        return facts

    def make_animal(self, rng, number, species, breeds, names, today):
        """A demo animal (unsaved), the demo species and breed it was made from, and its photos' alt text."""
        spec = rng.choice(SPECIES)
        breed = rng.choice(spec.breeds)
        colour = rng.choice(breed.colours)
        count = rng.randint(*breed.stock)
        days = rng.randint(56, spec.max_days)
        roll = rng.random()
        if count > 1:
            name = names.group(spec, breed, count)
            label = f"A group of {count} {colour.lower()} {breed.group.lower()}"
            description = (
                f"{spec.group_note or 'Raised together'}: {count} {colour.lower()} {breed.group.lower()}, "
                f"{rng.choice(TRAITS)} and ready for a new home. The price is for one; buy as many as you like."
            )
        else:
            name = names.individual(rng, spec)
            label = f"{name} the {colour.lower()} {breed.name}"
            description = (
                f"{name} is a {rng.choice(TRAITS)} {breed.name.lower()} who would love a {rng.choice(HOMES)} home."
            )
        return (
            Animal(
                name=name,
                slug=f"{slugify(name)}-{spec.slug}-{number}",
                species=species[spec.slug],
                breed=breeds[spec.slug, breed.name],
                sex=rng.choice(
                    [Animal.Sex.FEMALE, Animal.Sex.MALE] * 4 + ([] if spec.sex_required else [Animal.Sex.UNKNOWN])
                )
                if count == 1
                else Animal.Sex.UNKNOWN,
                date_of_birth=today - timedelta(days=days),
                colour=colour,
                description=description,
                price=rng.choice(spec.prices(breed)),
                stock=0 if roll < 0.05 else count,  # 5% sold
                health_note=rng.choice(spec.health_notes),
                **self.facts(rng, number, spec, breed, days, count),
                is_published=not 0.05 <= roll < 0.08,  # 3% hidden
                is_demo=True,
            ),
            spec,
            breed,
            label,
        )

    def seed_users(self):
        User = get_user_model()
        group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
        for email, password, is_staff, is_superuser in USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=password, is_staff=is_staff, is_superuser=is_superuser
                )
            if is_staff and not is_superuser:
                user.groups.add(group)
