"""Demo data for the casebank (seed 000 and 002): the four anonymised Randers cases as
published stories, the programme description of "CSR Strategi 2017" with the seed's figures,
and the collection "Casesamling CSR Strategi 2017" (published, with a public page).

The stories are written from four of the demo's own placements whose citizens gave their
publication consent; a placement whose record would make the identifying-text check find
something in the text (a citizen named like a word of the story) is passed over, so every
story is published through the same services as in the product. The PDF is queued like any
other collection's (rendered by the worker, or by the documents sweep).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services
from cases.identifying import find_identifying, identity_of
from cases.models import CaseCollection, CaseStory, ProgrammeDescription
from citizens.choices import ConsentKind
from citizens.services import consent_record
from csrprogram.demo import DemoContext
from csrprogram.policy import SYSTEM
from placements.choices import OpeningKind
from placements.models import Placement

COLLECTION_TITLE = "Casesamling CSR Strategi 2017"

# "Casebeskrivelse Randers Kommune 1–4" (seed 000): the texts are anonymised, as the seed says.
RANDERS_CASES = [
    {
        "title": "Casebeskrivelse Randers Kommune 1: Fra praktik til CSR-job",
        "situation": (
            "Kvinden i 40'erne havde modtaget kontanthjælp i flere år og havde ikke været på en "
            "arbejdsplads i lang tid. Hun ønskede at arbejde med mennesker, men var usikker på, "
            "om hun kunne holde til mere end nogle få timer om dagen."),
        "action": (
            "Jobkonsulenten matchede hende med en CSR-certificeret virksomhed, der tilbød en "
            "virksomhedspraktik på 15 timer om ugen. Arbejdstiden blev lagt om formiddagen af "
            "hensyn til skånebehovet, og en medarbejdermentor tog imod hende den første dag. "
            "Konsulenten fulgte op efter 14 dage og igen efter to en halv måned."),
        "result": (
            "Efter praktikken blev hun ansat i et CSR-job på 20 timer om ugen. Tre måneder "
            "efter jobstart var hun stadig i job, og virksomheden har siden taget imod endnu en "
            "praktikant fra projektet."),
        "quote": "Det betød alt, at der var en, der tog imod mig den første dag.",
    },
    {
        "title": "Casebeskrivelse Randers Kommune 2: Sproget kom med arbejdet",
        "situation": (
            "Den unge mand var kommet til Danmark som flygtning og havde gennemført "
            "danskuddannelsen, men manglede erfaring fra et dansk arbejdsmarked. Han havde "
            "søgt mange stillinger uden at komme til samtale."),
        "action": (
            "Virksomheden udfyldte et »Spot et job«-ark ved et arrangement for CSR-virksomheder "
            "og meldte en praktikplads på lageret. Jobkonsulenten præsenterede ham for "
            "virksomheden, som valgte ham. En kollega blev uddannet som medarbejdermentor og "
            "hjalp med fagordene de første uger."),
        "result": (
            "Praktikken blev forlænget én gang og endte i et ordinært job på 30 timer om ugen. "
            "Han er i dag selv med til at tage imod nye praktikanter."),
        "quote": "Jeg lærte mere dansk på tre måneder på lageret end på et år på skolebænken.",
    },
    {
        "title": "Casebeskrivelse Randers Kommune 3: Et fleksjob med plads til pauser",
        "situation": (
            "Manden havde efter en arbejdsskade været ledig i over et år og var visiteret til "
            "fleksjob. Han kunne arbejde omkring 12 timer om ugen med mulighed for pauser."),
        "action": (
            "Jobkonsulenten fandt en virksomhed, der i sin CSR-vurdering havde en "
            "personalepolitik med plads til mangfoldighed. Opgaverne blev tilpasset, så han "
            "kunne veksle mellem stående og siddende arbejde, og arbejdstiden blev fordelt på "
            "fire korte dage."),
        "result": (
            "Efter en praktik på otte uger blev han ansat i fleksjob. Ved opfølgningen efter "
            "to en halv måned havde han ikke haft sygedage."),
        "quote": "Her bliver jeg målt på det, jeg kan, ikke på det, jeg ikke kan.",
    },
    {
        "title": "Casebeskrivelse Randers Kommune 4: Et skridt på vejen",
        "situation": (
            "Kvinden havde været sygemeldt med stress i længere tid og modtog sygedagpenge. "
            "Hun var nervøs for at vende tilbage til et arbejdsfællesskab."),
        "action": (
            "Praktikken begyndte med seks timer om ugen og blev trappet op i samarbejde med "
            "virksomheden. Konsulenten holdt faste opfølgningssamtaler, og virksomheden gav "
            "hende en fast kontaktperson."),
        "result": (
            "Hun blev ikke fastholdt i virksomheden efter tre måneder, men praktikken gav hende "
            "mod på at begynde på en uddannelse, som hun i dag er i gang med."),
        "quote": "Praktikken viste mig, at jeg godt kan igen.",
    },
]

DESCRIPTION = {
    "grantee": "Randers Kommune",
    "project_title": "CSR Strategi 2017",
    "target_figure": (
        "100 CSR-certificerede virksomheder ved udgangen af 2017 og yderligere 50 ved udgangen "
        "af 2018. 50 borgere, hvoraf 25 % (13 ud af 50) overgår til job. Omkring 900 "
        "praktikpladser ved udgangen af 2018."),
    "other_partners": "CSR-certificerede virksomheder i Randers Kommune",
    "primary_activities": "\n".join([
        "CSR-certificering af virksomheder ud fra definerede kriterier",
        "Match af 50 borgere med virksomhedspraktikker i de certificerede virksomheder",
        "Løbende arrangementer med fokus på virksomhedsinddragelse",
        "En casebank, hvor gode eksempler fremhæves",
    ]),
    "summary": (
        "Dette indslusningsforløb er et projekt, der sigter efter at udbrede kendskabet til og "
        "mængden af de virksomheder, der tager et socialt ansvar. Målet er at give sociale "
        "virksomheder i Randers et CSR-certifikat for på denne måde at belønne de "
        "virksomheder, der skaber praktikpladser for borgere på kanten af arbejdsmarkedet og "
        "derigennem fører udsatte borgere tættere på job."),
    "core_elements": (
        "Projektet arbejder ud fra en vision om, at der er behov for flere rummelige "
        "arbejdspladser, hvis borgere på kanten af eller uden for arbejdsmarkedet skal finde "
        "beskæftigelse. Der er derfor behov for, at virksomhederne tilbyder ansættelsesforhold, "
        "der er fleksible i forhold til arbejdstid, arbejdseffektivitet og skånebehov – og at "
        "virksomhederne belønnes for det.\n\n"
        "I projektet arbejder man ud fra virksomhedens behov, og praktikkens karakter bestemmer "
        "borgerens profil. Man arbejder dermed ud fra virksomhedernes efterspørgsel, hvilket "
        "forventes at give indsatsen større fokus på reelle jobåbninger for borgerne."),
    "anchoring": (
        "Gennem 2017 og 2018 opbygges en casebank, hvor gode eksempler fremhæves, og "
        "CSR-samarbejdet med virksomhederne i Randers Kommune styrkes."),
    "success_factors": "\n".join([
        "Virksomhederne belønnes synligt med et CSR-certifikat for at tage socialt ansvar",
        "Praktikkerne tager udgangspunkt i virksomhedernes reelle behov",
        "Hensyn til arbejdstid, arbejdseffektivitet og skånebehov aftales fra starten",
    ]),
    "challenges": "\n".join([
        "Hypotesen om, at flere sociale virksomheder leder til flere praktikpladser, er endnu "
        "ikke undersøgt",
        "At finde praktikpladser, der passer til borgere med store skånebehov",
    ]),
}

FOREWORD = (
    "Du kan her læse om fire forskellige cases fra projektet CSR Strategi 2017. Af hensyn til "
    "den enkelte borger har vi anonymiseret beskrivelserne. Casebeskrivelserne giver en "
    "forståelse af, hvad indsatserne har betydet for den enkelte borger.\n\n"
    "Bagerst i samlingen findes projektbeskrivelsen med projektets mål og resultater.")


def _placements_for_stories(programme) -> list[Placement]:
    """Four placements of the programme whose records make the check find nothing."""
    candidates = (Placement.objects.filter(programme=programme)
                  .select_related("citizen", "company", "consultant")
                  .order_by("kind", "start_date", "pk"))
    chosen: list[Placement] = []
    wanted_kinds = [OpeningKind.INTERNSHIP, OpeningKind.INTERNSHIP, OpeningKind.CSR_JOB,
                    OpeningKind.INTERNSHIP]
    used: set[int] = set()
    for case, kind in zip(RANDERS_CASES, wanted_kinds, strict=True):
        texts = dict(case)
        for placement in [p for p in candidates if p.kind == kind] + list(candidates):
            if placement.pk in used or placement.citizen_id in {p.citizen_id for p in chosen}:
                continue
            if find_identifying(texts, identity_of(placement.citizen, placement)):
                continue
            chosen.append(placement)
            used.add(placement.pk)
            break
    return chosen


def seed(context: DemoContext) -> None:
    if CaseCollection.objects.filter(title=COLLECTION_TITLE).exists():
        return
    programme = context.programmes["strategy"]
    placements = _placements_for_stories(programme)
    published = []
    for case, placement in zip(RANDERS_CASES, placements, strict=False):
        citizen = placement.citizen
        if not services.citizen_has_publication_consent(citizen):
            consent_record(citizen=citizen, kind=ConsentKind.CASE_STORY,
                           given_on=placement.start_date + dt.timedelta(days=60), actor=SYSTEM)
        story = services.story_create(placement=placement, actor=SYSTEM, **case)
        services.story_submit(story=story, actor=SYSTEM)
        story = services.story_publish(story=story, actor=SYSTEM)
        # Published during the programme, as the Randers cases were, after the placement.
        day = min(placement.start_date + dt.timedelta(days=120), dt.date(2018, 12, 1))
        CaseStory.objects.filter(pk=story.pk).update(
            published_on=day,
            published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
            published_by=context.users.get("team_leader"))
        published.append(story)
    description = services.description_save(programme=programme, actor=SYSTEM, **DESCRIPTION)
    ProgrammeDescription.objects.filter(pk=description.pk).update(
        updated_by=context.users.get("team_leader"))
    entries = [("story", story.pk) for story in published] + [("description", description.pk)]
    collection = services.collection_create(
        programme=programme, actor=SYSTEM, entries=entries, title=COLLECTION_TITLE,
        foreword=FOREWORD, language="da", public_page=True)
    collection = services.collection_publish(collection=collection, actor=SYSTEM)
    day = dt.date(2018, 12, 14)
    CaseCollection.objects.filter(pk=collection.pk).update(
        published_on=day, published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        published_by=context.users.get("team_leader"), created_by=context.users.get("team_leader"))
