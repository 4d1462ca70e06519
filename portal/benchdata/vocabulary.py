"""Words of drug policy for the generated activities and proposals: titles,
descriptions and statements put together from real phrases, mostly in English and
some in French, so that searches, the similarity engine and the pages meet text of
the length and variety real records have."""

import random

ACTIONS_EN = [
    "Training of",
    "Exchange of good practice among",
    "Capacity building for",
    "Expert seminar for",
    "Study visit of",
    "Peer review with",
    "Regional conference of",
    "Handbook for",
    "Survey of",
    "Mentoring programme for",
    "Online course for",
    "Working group of",
]
PEOPLE_EN = [
    "prison health staff",
    "drug treatment professionals",
    "law enforcement officers at airports",
    "customs officers",
    "public prosecutors",
    "youth workers",
    "general practitioners",
    "harm reduction outreach workers",
    "national drug coordinators",
    "forensic laboratory staff",
    "school counsellors",
    "municipal policy makers",
    "researchers in addiction science",
    "staff of drug consumption rooms",
]
TOPICS_EN = [
    "opioid substitution treatment",
    "new psychoactive substances",
    "cannabis regulation and its evaluation",
    "precursor control",
    "drug-related deaths and naloxone",
    "hepatitis C testing and treatment",
    "HIV prevention among people who inject drugs",
    "gender-sensitive treatment services",
    "drug checking services",
    "online drug markets and the darknet",
    "cocaine trafficking through seaports",
    "early warning systems",
    "school-based prevention",
    "alternatives to coercive sanctions",
    "human rights in drug policy",
    "stigma and access to services",
    "chemsex and sexual health",
    "drug use in prisons",
    "methamphetamine production",
    "data collection on treatment demand",
    "ayahuasca and traditional plants",
    "medicinal cannabis",
    "gambling and behavioural addictions",
]
PLACES_EN = [
    "in the Mediterranean region",
    "in South-East Europe",
    "in the Baltic States",
    "in the MedNET countries",
    "across the member states",
    "in Central Asia",
    "in the Western Balkans",
    "in North Africa",
    "at European airports",
    "in urban settings",
]

ACTIONS_FR = [
    "Formation des",
    "Échange de bonnes pratiques entre",
    "Séminaire d'experts pour",
    "Visite d'étude des",
    "Conférence régionale des",
    "Guide à l'intention des",
]
PEOPLE_FR = [
    "personnels de santé en milieu pénitentiaire",
    "professionnels du traitement des addictions",
    "agents des douanes",
    "magistrats du parquet",
    "travailleurs sociaux de la jeunesse",
    "coordinateurs nationaux drogues",
    "intervenants en réduction des risques",
]
TOPICS_FR = [
    "les traitements de substitution aux opiacés",
    "les nouvelles substances psychoactives",
    "la prévention en milieu scolaire",
    "les décès liés aux drogues",
    "l'hépatite C chez les usagers de drogues",
    "les droits de l'homme dans les politiques drogues",
    "les alternatives aux sanctions",
    "le contrôle des précurseurs",
    "les marchés de drogues en ligne",
]
PLACES_FR = [
    "dans la région méditerranéenne",
    "en Europe du Sud-Est",
    "dans les pays du réseau MedNET",
    "dans les États membres",
    "en Afrique du Nord",
]

SENTENCES_EN = [
    "The activity brings together {people} to share evidence on {topic}.",
    "Participants review national approaches to {topic} and agree on practical recommendations.",
    "It builds on the results of previous Pompidou Group work on {topic}.",
    "A report with country profiles and a set of indicators will be published.",
    "The sessions combine lectures, case studies and site visits {place}.",
    "Particular attention is paid to vulnerable groups, including women and young people.",
    "The outcome feeds into the preparation of the next Ministerial Conference.",
    "National focal points collect data using a common questionnaire.",
    "The work is carried out in co-operation with the EMCDDA and UNODC.",
    "Experts from civil society and academia contribute to the programme.",
    "The pilot is evaluated after twelve months with the participating services.",
]
SENTENCES_FR = [
    "L'activité réunit des {people} autour de {topic}.",
    "Les participants comparent les approches nationales et adoptent des recommandations.",
    "Un rapport assorti de profils de pays sera publié à l'issue des travaux.",
    "Les sessions associent exposés, études de cas et visites de terrain {place}.",
    "Une attention particulière est portée aux femmes et aux jeunes.",
]

RESULTS_EN = [
    "A trained pool of trainers able to cascade the course nationally.",
    "Published guidelines adopted by at least five member states.",
    "A shared data set and a comparative report.",
    "Improved co-operation between health and justice services.",
    "A network of practitioners that continues after the activity.",
]
HUMAN_RIGHTS_EN = [
    "Respects the right to health and non-discrimination of people who use drugs.",
    "Treatment offered is voluntary and based on informed consent.",
    "Procedural safeguards for detained persons are part of the curriculum.",
]
GENDER_EN = [
    "Equal participation of women and men among trainers and trainees.",
    "Services for women who use drugs, including pregnant women, are addressed.",
    "Data are collected and reported by sex and age.",
]
MILESTONES_EN = [
    "Terms of reference agreed",
    "Experts appointed",
    "Questionnaire sent to member states",
    "First meeting held",
    "Draft report circulated",
    "Final report adopted",
    "Training materials translated",
    "Evaluation of the pilot",
]
INDICATORS_EN = [
    ("Participants trained", "persons", "higher"),
    ("Member states taking part", "states", "higher"),
    ("Waiting time for treatment", "days", "lower"),
    ("Drug-related deaths in pilot cities", "deaths", "lower"),
    ("Services applying the guidelines", "services", "higher"),
    ("Coverage of naloxone kits", "%", "higher"),
]
NARRATIVES_EN = [
    "Work progressed as planned; the expert meeting took place and the draft is being finalised.",
    "Recruitment of experts was delayed, the schedule has been revised with the lead state.",
    "Two of the three planned trainings were held with good attendance and evaluations.",
    "Data collection is complete in most countries; analysis started in the spring.",
    "The budget was partly reallocated to translation after the Bureau's agreement.",
]
FEEDBACK_QUESTIONS_EN = [
    "How useful were the materials for your daily work? What should be improved?",
    "Did the activity meet its expected results? Which follow-up would you suggest?",
    "How relevant was the seminar to your national drug strategy?",
]
COMMENTS_EN = [
    "Very useful exchange, the site visit was the highlight.",
    "Good content but too little time for discussion.",
    "We already use the checklist in two regions.",
    "",
]


def title(rng: random.Random, french: bool) -> str:
    if french:
        return (
            f"{rng.choice(ACTIONS_FR)} {rng.choice(PEOPLE_FR)} sur {rng.choice(TOPICS_FR)} "
            f"{rng.choice(PLACES_FR)}"
        )
    text = f"{rng.choice(ACTIONS_EN)} {rng.choice(PEOPLE_EN)} on {rng.choice(TOPICS_EN)}"
    if rng.random() < 0.5:
        text += f" {rng.choice(PLACES_EN)}"
    return text


def description(rng: random.Random, french: bool, sentences: int = 4) -> str:
    pool = SENTENCES_FR if french else SENTENCES_EN
    words = {
        "people": rng.choice(PEOPLE_FR if french else PEOPLE_EN),
        "topic": rng.choice(TOPICS_FR if french else TOPICS_EN),
        "place": rng.choice(PLACES_FR if french else PLACES_EN),
    }
    chosen = rng.sample(pool, min(sentences, len(pool)))
    return " ".join(s.format(**words) for s in chosen)


def pick(rng: random.Random, pool: list[str], k: int = 1) -> str:
    return " ".join(rng.sample(pool, min(k, len(pool))))
