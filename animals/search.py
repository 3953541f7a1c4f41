"""The catalogue's search: what the words of `q` mean, which animals match them, in which order, and what to
suggest when nothing does. The filter form (`AnimalFilterForm.filter()`) and the list page call it.

- Species words are data (`Species.name`, `plural`, `search_terms`, `young_word`, `young_word_plural`), read
  from the kept species list (`selectors.species_list()`): "dogs", "bunny" select a species; "puppy",
  "kittens" a species' animals under 12 months. They are understood without a query.
- Every other word must match the animal somewhere (all words, each in any field): its name, colour or
  description, or its breed's name (breeds are matched here, in the loaded list, so the query stays on the
  animals table). On PostgreSQL a word matches by full-text search (English stems: "families" finds
  "family"; the stored `Animal.search_document`), as a part of a word (`search_text`, trigram index), or by
  trigram word similarity for a typo ("playfull", for a word in no breed's name); breed names match a typo
  by their close spelling ("labradr"). On SQLite (`make run`), a contained word.
- With words, the animals are ranked (`search_rank`): full-text rank, then trigram similarity and breed.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Upper

YOUNG_MONTHS = 12
MAX_WORDS = 6  # words beyond these are ignored: each adds a condition to the query
TYPO_MIN_LENGTH = 4  # shorter words match exactly (a typo of "cat" is another word)
BREED_SPELLING_CUTOFF = 0.8  # difflib's ratio: "labradr" / "labrador" is 0.93, "beagel" / "beagle" 0.83
SPECIES_SPELLING_CUTOFF = 0.85  # "kitens" / "kittens" is 0.92
SUGGESTION_SIMILARITY = 0.4  # pg_trgm's word similarity of a suggested spelling, at least
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "at",
        "for",
        "from",
        "i",
        "in",
        "is",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "sale",
        "some",
        "the",
        "to",
        "with",
        "want",
        "looking",
        "buy",
    ]
)
FULL_TEXT_CONFIG = "english"


class SearchDocument(models.Func):
    """The animal's own words for full-text search, weighted (name, colour, description), as PostgreSQL stores
    them in `Animal.search_document` (a generated column with a GIN index, migration 0009): the search reads the
    stored vector instead of parsing each matching description twice (to match and to rank), which was most of
    a search page's database time (bench/README.md). SQLite has no full-text search: there it is empty."""

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(
            SearchVector("name", weight="A", config=FULL_TEXT_CONFIG)
            + SearchVector("colour", weight="B", config=FULL_TEXT_CONFIG)
            + SearchVector("description", weight="C", config=FULL_TEXT_CONFIG)
        )

    def as_sql(self, compiler, connection, **extra_context):
        return "''", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.casefold())


class Vocabulary:
    """The species' search words and the breeds' names of one species list (with `breed_list`), ready to match.
    Built once per kept species list (`forms.FilterChoices`); only read afterwards."""

    def __init__(self, species_list):
        self.phrases: dict[str, set[tuple[int, bool]]] = {}  # "guinea pigs": {(species id, young?)}
        for species in species_list:
            for words, young in (
                ([species.name, species.plural, *species.search_terms.split(",")], False),
                ([species.young_word, species.young_word_plural], True),
            ):
                for phrase in words:
                    phrase = " ".join(words_of(phrase))
                    if phrase:
                        self.phrases.setdefault(phrase, set()).add((species.pk, young))
        self.longest_phrase = max((len(phrase.split()) for phrase in self.phrases), default=1)
        self.single_words = sorted(phrase for phrase in self.phrases if " " not in phrase)
        # (breed id, its name, the words of its name)
        self.breeds = [
            (breed.pk, breed.name.casefold(), words_of(breed.name)) for s in species_list for breed in s.breed_list
        ]
        self.breed_words = sorted({word for _, _, words in self.breeds for word in words})

    def close_breed_words(self, word: str) -> list[str]:
        """The words of breeds' names spelt close to `word` ("labradr": ["labrador"]); none for a short word."""
        if len(word) < TYPO_MIN_LENGTH:
            return []
        return difflib.get_close_matches(word, self.breed_words, n=3, cutoff=BREED_SPELLING_CUTOFF)

    def breed_ids(self, word: str) -> list[int]:
        """The breeds whose name contains `word`, or has a word spelt close to it."""
        close = set(self.close_breed_words(word))
        return [pk for pk, name, words in self.breeds if word in name or close.intersection(words)]

    def in_breed_name(self, word: str) -> bool:
        return any(word in name for _, name, _ in self.breeds)

    def parse(self, text: str) -> "Terms":
        """`text` as species words (the longest phrase first) and the other words (stop words left out)."""
        tokens = words_of(text)
        terms = Terms()
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest_phrase, len(tokens) - i), 0, -1):
                meaning = self.phrases.get(" ".join(tokens[i : i + size]))
                if meaning:
                    terms.add_species(meaning)
                    i += size
                    break
            else:
                token = tokens[i]
                i += 1
                if token in STOP_WORDS:
                    continue
                if len(token) >= TYPO_MIN_LENGTH and not self.breed_ids(token):
                    close = difflib.get_close_matches(token, self.single_words, n=1, cutoff=SPECIES_SPELLING_CUTOFF)
                    if close:  # "kitens", "puppys": a species word misspelt (and no breed's)
                        terms.add_species(self.phrases[close[0]])
                        continue
                if len(terms.words) < MAX_WORDS:
                    terms.words.append(token)
        return terms

    def known(self, word: str) -> bool:
        return word in STOP_WORDS or word in self.phrases or word in self.breed_words


@dataclass
class Terms:
    """What a search asks for: species ({species id: young only?}) and the words the animal must match."""

    species: dict[int, bool] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    def add_species(self, meaning):
        for species_id, young in meaning:
            # "puppy dog": the narrower word wins
            self.species[species_id] = self.species.get(species_id, False) or young


def young_cutoff(today: date) -> date:
    """Animals born after this day are under YOUNG_MONTHS old on `today`."""
    months = today.year * 12 + today.month - 1 - YOUNG_MONTHS
    year, month = divmod(months, 12)
    day = today.day
    while True:
        try:
            return date(year, month + 1, day)
        except ValueError:  # 29 February a year back, and the like
            day -= 1


def matching(queryset, *, text: str, vocabulary: Vocabulary, today: date):
    """`queryset` narrowed to the animals that match `text`, with the alias `search_rank` (higher is better)."""
    terms = vocabulary.parse(text)
    if terms.species:
        cutoff = young_cutoff(today)
        species = Q()
        for species_id, young in terms.species.items():
            species |= Q(species_id=species_id, date_of_birth__gt=cutoff) if young else Q(species_id=species_id)
        queryset = queryset.filter(species)
    if not terms.words:
        return queryset.alias(search_rank=Value(0.0, output_field=models.FloatField()))
    breeds = {word: vocabulary.breed_ids(word) for word in terms.words}
    if connection.vendor == "postgresql":
        return _postgres_matching(queryset, terms.words, breeds, vocabulary)
    return _simple_matching(queryset, terms.words, breeds)


def _postgres_matching(queryset, words, breeds, vocabulary):
    any_word = None
    typos = []
    for word in words:
        # A misspelt breed ("labradr") is searched as the breed's word too ("labrador"), in every text.
        close = [] if vocabulary.in_breed_name(word) else vocabulary.close_breed_words(word)
        query = SearchQuery(word, config=FULL_TEXT_CONFIG)
        for spelling in close:
            query |= SearchQuery(spelling, config=FULL_TEXT_CONFIG)
        any_word = query if any_word is None else any_word | query
        # Each condition can use its own index (the full-text and trigram GIN indexes, the breed's b-tree).
        condition = Q(search_document=query) | Q(search_text__contains=Upper(Value(word)))
        # Any other typo, by trigram similarity: a word of a breed's name, or spelt close to one, needs none, and
        # this condition is the costly one (PostgreSQL checks it again on every row the index finds).
        if len(word) >= TYPO_MIN_LENGTH and not close and not vocabulary.in_breed_name(word):
            condition |= Q(search_text__trigram_word_similar=word)
            typos.append(word)
        if breeds[word]:
            condition |= Q(breed_id__in=breeds[word])
        queryset = queryset.filter(condition)
    all_breeds = sorted({pk for ids in breeds.values() for pk in ids})
    # Full-text rank (about 0.6 for a word of the name, 0.06 of the description), half the trigram similarity of
    # the typos (1 for the word itself), and 1 for an animal of a breed named: the name or the breed, then the
    # description. The similarity is computed only for typos: it reads the whole text of every animal found.
    rank = SearchRank(F("search_document"), any_word)
    if typos:
        rank = rank + TrigramWordSimilarity(" ".join(typos), "search_text") * 0.5
    if all_breeds:
        rank = rank + Case(When(breed_id__in=all_breeds, then=Value(1.0)), default=Value(0.0))
    return queryset.alias(search_rank=rank)


def _simple_matching(queryset, words, breeds):
    for word in words:
        condition = Q(search_text__contains=Upper(Value(word))) | Q(colour__icontains=word)
        if breeds[word]:
            condition |= Q(breed_id__in=breeds[word])
        queryset = queryset.filter(condition)
    in_name = Q()
    for word in words:
        in_name |= Q(name__icontains=word)
    all_breeds = sorted({pk for ids in breeds.values() for pk in ids})
    rank = Case(
        When(in_name, then=Value(2.0)),
        When(breed_id__in=all_breeds, then=Value(1.0)),
        default=Value(0.0),
        output_field=models.FloatField(),
    )
    return queryset.alias(search_rank=rank)


def close_spelling(text: str, *, vocabulary: Vocabulary) -> str | None:
    """`text` with its unknown words replaced by the closest known spelling ("labradr" -> "labrador"), or None
    when there is none. Known words are the species' and breeds'; on PostgreSQL also the animals' names, by
    trigram similarity (one query per unknown word, for at most two words: only an empty result asks)."""
    tokens = words_of(text)
    changed = False
    looked_up = 0
    for i, token in enumerate(tokens):
        if vocabulary.known(token) or len(token) < 3:
            continue
        better = None
        if connection.vendor == "postgresql" and looked_up < 2:
            looked_up += 1
            better = _closest_name_word(token)
        if better is None:
            close = difflib.get_close_matches(token, vocabulary.breed_words + vocabulary.single_words, n=1, cutoff=0.7)
            better = close[0] if close else None
        if better and better != token:
            tokens[i] = better
            changed = True
    return " ".join(tokens) if changed else None


def _closest_name_word(token: str) -> str | None:
    """The word closest to `token` among the breeds', species' and published animals' names (pg_trgm)."""
    from animals.models import Animal, Breed, Species

    def similar(queryset):
        return (
            queryset.annotate(similarity=TrigramWordSimilarity(token, "name"))
            .filter(similarity__gte=SUGGESTION_SIMILARITY)
            .order_by()
            .values_list("name", "similarity")
        )

    names = similar(Breed.objects.all()).union(
        similar(Species.objects.all()), similar(Animal.objects.published()), all=True
    )
    best = next(iter(names.order_by("-similarity", "name")[:1]), None)
    if best is None:
        return None
    close = difflib.get_close_matches(token, words_of(best[0]), n=1, cutoff=0)
    return close[0] if close else None
