"""Fill the shop with demo species, breeds, animals (with drawn photos) and demo users. Safe to run again."""

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw

from animals.models import Animal, AnimalPhoto, Breed, Species
from animals.services import catalogue_changed, photo_prepare

BATCH = 1000
PHOTOS_PER_SPECIES = 5
POOL_DIR = "animals/demo"
USERS = [
    # e-mail, password, is_staff, is_superuser
    ("admin@petshop.example", "petshop-admin-demo", True, True),
    ("staff@petshop.example", "petshop-staff-demo", True, False),
    ("customer@petshop.example", "petshop-customer-demo", False, False),
]
STAFF_GROUP = "Shop staff"
STAFF_APPS = ["animals", "orders", "payments", "notifications"]

SPECIES = [
    {
        "name": "Dog",
        "slug": "dogs",
        "plural": "Dogs",
        "prices": (450, 1800),
        "stock": (1, 1),
        "max_days": 2900,
        "description": "Puppies and young dogs from trusted local breeders, raised in family homes.",
        "care_guide": "Feed a quality puppy food three to four times a day. Plan daily walks and play, "
        "puppy classes from 12 weeks, yearly vet checks and boosters. Never leave a dog alone all day.",
        "breeds": ["Labrador Retriever", "Golden Retriever", "Beagle", "Border Collie", "Dachshund", "Mixed breed"],
        "colours": ["Black", "Golden", "Chocolate", "Tricolour", "Black and white", "Red"],
        "colour_rgb": [(60, 50, 40), (214, 168, 90), (120, 72, 40), (170, 120, 80), (90, 90, 90), (190, 100, 60)],
    },
    {
        "name": "Cat",
        "slug": "cats",
        "plural": "Cats",
        "prices": (150, 900),
        "stock": (1, 1),
        "max_days": 2900,
        "description": "Kittens and cats, litter-trained and used to being handled.",
        "care_guide": "Give fresh water, two or three meals a day and a clean litter tray. Cats need scratching "
        "posts, safe places to hide and a vet check once a year.",
        "breeds": ["British Shorthair", "Maine Coon", "Siamese", "Ragdoll", "Domestic Shorthair"],
        "colours": ["Grey", "Tabby", "Ginger", "Black", "White", "Calico"],
        "colour_rgb": [(140, 140, 150), (150, 110, 70), (225, 130, 50), (40, 40, 45), (235, 235, 230), (200, 150, 110)],
    },
    {
        "name": "Rabbit",
        "slug": "rabbits",
        "plural": "Rabbits",
        "prices": (40, 120),
        "stock": (1, 1),
        "max_days": 2000,
        "description": "Friendly rabbits, best adopted in pairs.",
        "care_guide": "Rabbits are social: keep them in pairs, with a large hutch and a daily run. "
        "Unlimited hay, fresh greens and a vaccination against myxomatosis and RHD.",
        "breeds": ["Netherland Dwarf", "Holland Lop", "Lionhead", "Rex"],
        "colours": ["White", "Brown", "Grey", "Black and white"],
        "colour_rgb": [(240, 240, 235), (150, 110, 80), (160, 160, 160), (70, 70, 70)],
    },
    {
        "name": "Guinea pig",
        "slug": "guinea-pigs",
        "plural": "Guinea pigs",
        "prices": (25, 60),
        "stock": (1, 4),
        "max_days": 1500,
        "description": "Chatty guinea pigs that love company and fresh vegetables.",
        "care_guide": "Keep at least two together. They need vitamin C every day (fresh peppers, greens), "
        "unlimited hay and a spacious, draught-free cage.",
        "breeds": ["American", "Abyssinian", "Peruvian", "Teddy"],
        "colours": ["Tortoiseshell", "Cream", "Brown", "Black and white"],
        "colour_rgb": [(170, 100, 50), (240, 220, 180), (130, 80, 50), (80, 80, 80)],
    },
    {
        "name": "Bird",
        "slug": "birds",
        "plural": "Birds",
        "prices": (20, 400),
        "stock": (3, 12),
        "max_days": 1500,
        "description": "Budgies, canaries and parrots, hand-reared where possible.",
        "care_guide": "Birds need a roomy cage, daily time out of it, a varied seed and fresh food diet, "
        "clean water and company of their own kind.",
        "breeds": ["Budgerigar", "Canary", "Cockatiel", "Lovebird"],
        "colours": ["Green", "Yellow", "Blue", "Grey"],
        "colour_rgb": [(90, 180, 80), (245, 210, 60), (80, 140, 220), (150, 150, 160)],
    },
    {
        "name": "Fish",
        "slug": "fish",
        "plural": "Fish",
        "prices": (3, 45),
        "stock": (5, 20),
        "max_days": 700,
        "description": "Healthy tropical and cold-water fish from our own aquariums.",
        "care_guide": "Cycle the aquarium before fish arrive, test the water weekly and change a quarter of it. "
        "Feed small amounts once or twice a day.",
        "breeds": ["Goldfish", "Neon Tetra", "Guppy", "Betta", "Platy"],
        "colours": ["Orange", "Blue", "Red", "Silver"],
        "colour_rgb": [(245, 140, 40), (60, 120, 220), (220, 60, 60), (190, 200, 210)],
    },
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
]
HEALTH_NOTES = ["", "", "", "Dewormed twice.", "Vet-checked this week, all clear.", "Needs a second vaccination."]


def draw_animal(spec, index):
    """A simple friendly drawing of the species in one of its colours (made locally, nothing downloaded)."""
    rng = random.Random(f"{spec['slug']}-{index}")
    body = spec["colour_rgb"][index % len(spec["colour_rgb"])]
    background = (rng.randint(200, 245), rng.randint(215, 245), rng.randint(200, 240))
    image = Image.new("RGB", (1200, 900), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((-200, 700, 1400, 1200), fill=(170, 210, 150))
    if spec["slug"] == "fish":
        draw.rectangle((0, 0, 1200, 900), fill=(170, 215, 240))
        draw.ellipse((330, 300, 830, 600), fill=body)
        draw.polygon([(820, 450), (1000, 320), (1000, 580)], fill=body)
        draw.ellipse((420, 400, 470, 450), fill="white")
        draw.ellipse((435, 415, 460, 440), fill="black")
    elif spec["slug"] == "birds":
        draw.ellipse((420, 250, 780, 700), fill=body)
        draw.ellipse((470, 170, 700, 400), fill=body)
        draw.polygon([(470, 290), (400, 320), (470, 340)], fill=(250, 180, 40))
        draw.ellipse((520, 250, 560, 290), fill="black")
    else:
        ears = {"rabbits": (90, 260), "cats": (110, 130)}.get(spec["slug"], (120, 110))
        draw.ellipse((350, 250, 850, 750), fill=body)
        draw.ellipse((390 - ears[0] // 2, 250 - ears[1], 390 + ears[0] // 2, 380), fill=body)
        draw.ellipse((810 - ears[0] // 2, 250 - ears[1], 810 + ears[0] // 2, 380), fill=body)
        for x in (500, 700):
            draw.ellipse((x - 30, 420, x + 30, 480), fill="white")
            draw.ellipse((x - 14, 436, x + 14, 466), fill="black")
        draw.ellipse((570, 540, 630, 590), fill=(60, 40, 40))
        draw.arc((540, 560, 660, 650), 20, 160, fill=(60, 40, 40), width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{spec['slug']}-{index}.jpg")


def progress(stdout, done, total, width=40):
    filled = width * done // total if total else width
    stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} animals", ending="")
    stdout.flush()


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
        pool = self.seed_photo_pool()
        created = self.seed_animals(animals, species, breeds, pool)
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
        species, breeds = {}, {}
        for order, spec in enumerate(SPECIES):
            row, _ = Species.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "plural": spec["plural"],
                    "description": spec["description"],
                    "care_guide": spec["care_guide"],
                    "display_order": order,
                },
            )
            species[spec["slug"]] = row
            breeds[spec["slug"]] = [
                Breed.objects.get_or_create(species=row, slug=slugify(name), defaults={"name": name})[0]
                for name in spec["breeds"]
            ]
        return species, breeds

    def seed_photo_pool(self):
        """Draw and process a few photos per species once; every demo animal points at one of them."""
        pool = {}
        for spec in SPECIES:
            pool[spec["slug"]] = []
            for index in range(PHOTOS_PER_SPECIES):
                names = {
                    kind: f"{POOL_DIR}/{spec['slug']}-{index}-{kind}.jpg" for kind in ("original", "thumb", "display")
                }
                if not all(default_storage.exists(name) for name in names.values()):
                    prepared = photo_prepare(upload=draw_animal(spec, index))
                    for kind, content in [
                        ("original", prepared.original),
                        ("thumb", prepared.thumbnail),
                        ("display", prepared.display),
                    ]:
                        if default_storage.exists(names[kind]):
                            default_storage.delete(names[kind])
                        default_storage.save(names[kind], content)
                pool[spec["slug"]].append(names)
        return pool

    def seed_animals(self, target, species, breeds, pool):
        existing = Animal.objects.filter(is_demo=True).count()
        to_create = max(target - existing, 0)
        rng = random.Random(existing)
        today = date.today()
        done = 0
        while done < to_create:
            size = min(BATCH, to_create - done)
            batch = [self.make_animal(rng, existing + done + i + 1, species, breeds, today) for i in range(size)]
            taken = set(Animal.objects.filter(slug__in=[a.slug for a in batch]).values_list("slug", flat=True))
            for animal in batch:
                if animal.slug in taken:
                    animal.slug = f"{animal.slug}-{rng.randrange(16**6):06x}"
            with transaction.atomic():
                Animal.objects.bulk_create(batch)
                photos = []
                for animal in batch:
                    choices = pool[animal.species.slug]
                    for position in range(rng.choice([1, 1, 2, 3])):
                        names = choices[(animal.pk + position) % len(choices)]
                        photos.append(
                            AnimalPhoto(
                                animal=animal,
                                image=names["original"],
                                thumbnail=names["thumb"],
                                display=names["display"],
                                alt_text=f"{animal.name} the {animal.colour.lower()} {animal.breed.name}"
                                + ("" if position == 0 else f", photo {position + 1}"),
                                is_main=position == 0,
                                position=position,
                            )
                        )
                AnimalPhoto.objects.bulk_create(photos)
            done += size
            progress(self.stdout, done, to_create)
        if to_create:
            self.stdout.write("")
        return to_create

    def make_animal(self, rng, number, species, breeds, today):
        spec = rng.choice(SPECIES)
        name = rng.choice(NAMES)
        low, high = spec["prices"]
        stock = rng.randint(*spec["stock"])
        roll = rng.random()
        if roll < 0.05:
            stock = 0  # sold
        breed = rng.choice(breeds[spec["slug"]])
        return Animal(
            name=name,
            slug=f"{slugify(name)}-{spec['slug']}-{number}",
            species=species[spec["slug"]],
            breed=breed,
            sex=rng.choice([Animal.Sex.FEMALE, Animal.Sex.MALE] * 4 + [Animal.Sex.UNKNOWN]),
            date_of_birth=today - timedelta(days=rng.randint(56, spec["max_days"])),
            colour=rng.choice(spec["colours"]),
            description=f"{name} is a {rng.choice(['playful', 'gentle', 'curious', 'calm', 'cheeky', 'loving'])} "
            f"{breed.name.lower()} who would love a {rng.choice(['quiet', 'lively', 'family', 'patient'])} home.",
            price=Decimal(rng.randint(low * 100, high * 100)) / 100,
            stock=stock,
            vaccinated=rng.random() < 0.8,
            microchipped=spec["slug"] in ("dogs", "cats") and rng.random() < 0.9,
            neutered=spec["slug"] in ("dogs", "cats", "rabbits") and rng.random() < 0.3,
            health_note=rng.choice(HEALTH_NOTES),
            is_published=not 0.05 <= roll < 0.08,
            is_demo=True,
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
