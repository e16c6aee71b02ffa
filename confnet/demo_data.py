"""The fixed content of the demo conference (see ``confnet.demo``): plain tuples and strings.

All people and their accounts are invented; hospitals and cities are real places. Programme rows
are ``(when, room, kind, track, speakers, title, abstract)``:

- ``when`` is ``"<day> HH:MM-HH:MM"`` in conference-local time, day 0 being the first day;
- ``room``, ``track`` and ``speakers`` (space-separated) are keys of ``ROOMS``, ``TRACKS`` and
  ``SPEAKERS``, or ``""`` for none;
- ``kind`` is an ``ItemKind`` value; ``"workshop/24"`` is a workshop with 24 places to sign up for.

The tables are laid out by hand, one record per row, so ``ruff format`` leaves them alone.
"""

# fmt: off

# Passed to ``create_conference`` with the slug, dates and timezone set in ``confnet.demo``.
CONFERENCE = {
    "name": "MedConnect Europe 2027",
    "venue": "De Doelen, Rotterdam",
    "city": "Rotterdam",
    "tagline": "Three days of evidence, skills and people for everyone in healthcare",
    "description": (
        "MedConnect Europe brings together physicians, nurses, pharmacists, researchers and "
        "students for three days of keynotes, talks, panels and hands-on workshops in "
        "cardiology, oncology, infectious disease, digital health and medical education.\n\n"
        "Workshops have limited places: sign up in the programme. Posters are on display in the "
        "Haven Room foyer throughout the conference."
    ),
}

# profession, specialty, career stage, organization, city, country, interests, bio
ORGANIZER_PROFILE = (
    "other", "Conference organisation", "senior", "MedConnect Europe", "Rotterdam", "Netherlands",
    "event accessibility, medical education, networking",
    "Programme manager of MedConnect Europe. Ask me anything about the programme.",
)

# key, name, capacity, floor notes
ROOMS = (
    ("main", "Main Hall", 800, "Ground floor. Step-free, hearing loop, live captions on the side "
     "screens."),
    ("maas", "Maas Room", 160, "First floor, lift next to the cloakroom. Hearing loop."),
    ("rotte", "Rotte Room", 150, "First floor, at the end of the west foyer. Step-free."),
    ("haven", "Haven Room", 140, "Second floor, lift B. Poster boards fill the adjoining foyer."),
    ("lab1", "Skills Lab 1", 40, "Third floor, lift B. Tables, ultrasound machines and manikins."),
    ("lab2", "Skills Lab 2", 24, "Third floor, lift B. Laptop tables; loan laptops at the desk."),
)

# key, name, colour (all dark enough for white text: contrast at least 4.5:1)
TRACKS = (
    ("cardio", "Cardiology", "#b42318"),
    ("onco", "Oncology", "#6d28d9"),
    ("id", "Infectious disease", "#047857"),
    ("digital", "Digital health & AI", "#1d4ed8"),
    ("edu", "Medical education & careers", "#b45309"),
)

# key, name, email (None: on the programme without an account), profession, specialty,
# career stage, organization, city, country, interests, bio
SPEAKERS = (
    ("vermeulen", "Ingrid Vermeulen", "speaker@confnet.test", "physician", "Interventional "
     "cardiology", "department lead", "Erasmus MC", "Rotterdam", "Netherlands",
     "structural heart disease, prevention, women's heart health",
     "Professor of interventional cardiology at Erasmus MC, where she leads the structural heart "
     "programme. She chairs the MedConnect Europe 2027 scientific committee."),
    ("ferreira", "Tomás Ferreira", None, "physician", "Cardiac imaging", "senior",
     "Hospital de Santa Maria", "Lisbon", "Portugal", "", "Cardiologist and cardiac MRI lead at "
     "Hospital de Santa Maria in Lisbon, and a keen teacher of echocardiography."),
    ("degroot", "Anneke de Groot", "anneke.degroot@confnet.test", "nurse", "Heart failure",
     "senior", "Erasmus MC", "Rotterdam", "Netherlands",
     "heart failure, remote monitoring, nurse-led care",
     "Nurse specialist who runs the heart failure outpatient clinic at Erasmus MC and its "
     "telemonitoring service."),
    ("lindqvist", "Helena Lindqvist", None, "physician", "Medical oncology", "senior",
     "Karolinska University Hospital", "Stockholm", "Sweden", "", "Medical oncologist at "
     "Karolinska University Hospital with a research focus on immunotherapy and young adults "
     "with cancer."),
    ("bianchi", "Marco Bianchi", "marco.bianchi@confnet.test", "physician", "Radiation oncology",
     "mid career", "Ospedale Niguarda", "Milan", "Italy",
     "radiotherapy, oligometastatic disease, cardio-oncology",
     "Radiation oncologist in Milan working on stereotactic radiotherapy and shorter treatment "
     "schedules."),
    ("okafor", "Amara Okafor", None, "researcher", "Psycho-oncology", "senior",
     "Guy's and St Thomas'", "London", "United Kingdom", "", "Psychologist and health services "
     "researcher in London who studies survivorship and the financial burden of cancer."),
    ("janssens", "Pieter Janssens", "pieter.janssens@confnet.test", "physician",
     "Infectious diseases", "department lead", "Antwerp University Hospital", "Antwerp",
     "Belgium", "sepsis, long COVID, pandemic preparedness",
     "Head of infectious diseases at Antwerp University Hospital and adviser to the Belgian "
     "pandemic preparedness taskforce."),
    ("martin", "Lucía Martín", "lucia.martin@confnet.test", "pharmacist",
     "Antimicrobial stewardship", "mid career", "Hospital Universitario La Paz", "Madrid",
     "Spain", "antimicrobial stewardship, penicillin allergy, OPAT",
     "Hospital pharmacist who leads the antimicrobial stewardship team at La Paz in Madrid."),
    ("mensah", "Kwame Mensah", None, "researcher", "Global health", "senior",
     "Korle Bu Teaching Hospital", "Accra", "Ghana", "", "Physician and epidemiologist in Accra "
     "who coordinates antimicrobial resistance surveillance across West Africa."),
    ("bakker", "Sanne Bakker", "sanne.bakker@confnet.test", "physician", "Clinical informatics",
     "mid career", "UMC Utrecht", "Utrecht", "Netherlands",
     "AI in healthcare, documentation, implementation science",
     "Internist and chief medical information officer at UMC Utrecht, responsible for bringing "
     "AI tools safely into clinical care."),
    ("weber", "Jonas Weber", None, "researcher", "Health informatics", "mid career", "Charité",
     "Berlin", "Germany", "", "Health informatician at the Charité in Berlin who works on "
     "wearables, interoperability and health data regulation."),
    ("raman", "Priya Raman", None, "researcher", "Digital health", "early career",
     "University Health Network", "Toronto", "Canada", "", "Digital health researcher in Toronto "
     "who studies how clinicians and students use language models."),
    ("dubois", "Claire Dubois", "claire.dubois@confnet.test", "physician", "Medical education",
     "senior", "Hospices Civils de Lyon", "Lyon", "France",
     "medical education, feedback, competency-based training",
     "Professor of medical education in Lyon and past president of a European association for "
     "postgraduate training."),
    ("visser", "Femke Visser", "femke.visser@confnet.test", "physician", "Internal medicine",
     "trainee", "Amsterdam UMC", "Amsterdam", "Netherlands",
     "wellbeing, rotas, careers, mentoring",
     "Internal medicine resident in Amsterdam and co-founder of a resident-led wellbeing "
     "programme."),
    ("osullivan", "Niamh O'Sullivan", None, "physician", "Emergency medicine", "senior",
     "St James's Hospital", "Dublin", "Ireland", "", "Emergency physician and director of the "
     "interprofessional simulation centre at St James's Hospital, Dublin."),
)

_COFFEE = "Coffee, tea and fruit in the main foyer and on the first-floor terrace."
_LUNCH = ("Lunch is served in the main foyer and the Maas foyer. Vegetarian, vegan and "
          "gluten-free dishes are labelled.")
_POSTER_BREAK = "Coffee and tea in the main foyer; the poster session starts at 15:00."

PROGRAMME = (
    # Day 0: Friday 26 March 2027
    ("0 08:30-09:00", "", "break", "", "", "Registration and welcome coffee",
     "Collect your badge at the registration desks in the main foyer. Coffee, tea and pastries "
     "are served until the opening keynote."),
    ("0 09:00-10:00", "main", "keynote", "digital", "bakker",
     "Opening keynote: Clinical AI after the hype",
     "Three years after generative AI arrived on hospital wards, what has actually changed for "
     "patients? Sanne Bakker looks at evidence from real deployments: where the tools saved "
     "time, where they quietly failed, and what clinicians should ask before the next wave."),
    ("0 10:00-10:30", "", "break", "", "", "Coffee break", _COFFEE),
    ("0 10:30-12:00", "main", "panel", "cardio", "vermeulen degroot weber",
     "Heart failure care beyond the hospital walls",
     "Many heart failure admissions are preventable if worsening is caught early. A "
     "cardiologist, a heart failure nurse and a health informatician discuss remote monitoring, "
     "nurse-led titration and home visits. Bring your questions about workload and which "
     "patients benefit most."),
    ("0 10:30-11:15", "maas", "talk", "onco", "lindqvist",
     "Managing immunotherapy toxicities on the general ward",
     "Checkpoint inhibitors cause immune-related side effects that often present far from the "
     "oncology unit. This talk gives a practical approach to recognising colitis, pneumonitis "
     "and endocrine toxicity, and to when steroids should start."),
    ("0 11:15-12:00", "maas", "talk", "onco", "bianchi",
     "Hypofractionated breast radiotherapy: five-year lessons",
     "Shorter courses of breast radiotherapy are now standard in many centres. Marco Bianchi "
     "reviews five-year outcomes on recurrence, cosmesis and late toxicity, and what the switch "
     "meant for waiting lists and for patients who travel far for treatment."),
    ("0 10:30-11:15", "rotte", "talk", "id", "mensah",
     "Antimicrobial stewardship when the laboratory is far away",
     "Stewardship usually assumes fast cultures and susceptibility results. Drawing on "
     "programmes in Ghana and rural Europe, this talk shows how syndromic guidelines, simple "
     "audit and point-of-care tests cut inappropriate prescribing without a laboratory next "
     "door."),
    ("0 11:15-12:00", "rotte", "talk", "id", "martin",
     "Shorter is better? Rethinking antibiotic course length",
     "Trial after trial shows shorter antibiotic courses work as well as longer ones for common "
     "infections. Lucía Martín summarises the evidence for pneumonia, urinary tract and skin "
     "infections, and how her hospital changed its default order sets."),
    ("0 10:30-11:15", "haven", "talk", "edu", "dubois", "Feedback that residents actually use",
     "Residents receive a lot of feedback and act on little of it. Claire Dubois presents "
     "research on what makes workplace feedback specific, timely and credible, with short "
     "scripts supervisors can use on a busy ward round."),
    ("0 11:15-12:00", "haven", "talk", "edu", "visser",
     "From burnout to belonging: a resident-led wellbeing programme",
     "When residents in Amsterdam designed their own wellbeing programme, sick leave fell and "
     "retention rose. Femke Visser describes what they built, what the hospital had to change "
     "and what did not work."),
    ("0 10:30-12:00", "lab1", "workshop/24", "cardio", "ferreira",
     "Point-of-care cardiac ultrasound: hands-on basics",
     "A hands-on introduction to focused cardiac ultrasound for non-cardiologists. In small "
     "groups with live models you practise the four standard views and learn to recognise an "
     "effusion, a dilated right ventricle and poor left ventricular function. No experience "
     "needed."),
    ("0 10:30-12:00", "lab2", "workshop/20", "digital", "raman",
     "Prompting clinical language models safely",
     "Try large language models on realistic, fully synthetic clinical cases. We cover prompts "
     "that reduce errors, spotting invented references and keeping patient data out of public "
     "tools. You leave with a checklist for your department."),
    ("0 12:00-13:00", "", "break", "", "", "Lunch", _LUNCH),
    ("0 13:00-13:45", "main", "talk", "onco", "lindqvist",
     "Liquid biopsy in routine oncology: ready or not?",
     "Circulating tumour DNA tests promise earlier detection of relapse and resistance. This "
     "talk weighs the evidence in lung and colorectal cancer against cost, false positives and "
     "the anxiety a result can bring."),
    ("0 13:45-14:30", "main", "talk", "id", "janssens",
     "Long COVID three years on: what the cohorts tell us",
     "Large European cohorts now follow people for years after infection. Pieter Janssens "
     "summarises who is most at risk of persistent symptoms, which treatments have been tested, "
     "and how clinics can organise care without a single proven therapy."),
    ("0 13:00-13:45", "maas", "talk", "cardio", "vermeulen",
     "Transcatheter valve implantation in people over 85",
     "TAVI is increasingly offered to very old patients. Ingrid Vermeulen discusses frailty "
     "assessment, the outcomes that matter to older people and how heart teams can talk "
     "honestly about when not to intervene."),
    ("0 13:45-14:30", "maas", "talk", "cardio", "ferreira", "Cardiac MRI for the non-imager",
     "When should you ask for a cardiac MRI, and what can it show that echocardiography cannot? "
     "Through ten short cases, Tomás Ferreira explains myocarditis, infiltrative disease and "
     "scar imaging in plain language."),
    ("0 13:00-14:30", "rotte", "panel", "digital", "bakker weber raman",
     "Who is liable when the algorithm is wrong?",
     "As AI tools move from pilots into routine care, responsibility for errors becomes "
     "blurred. Clinicians and informaticians debate the EU AI Act, product liability and what "
     "you should document when a tool informs your decision."),
    ("0 13:00-14:30", "lab1", "workshop/20", "edu", "osullivan visser",
     "Breaking bad news: a simulation workshop",
     "Practise delivering difficult news with trained simulated patients, using the SPIKES "
     "framework as a starting point. Each participant plays one scenario and gets structured "
     "feedback in a small, supportive group. Suitable for students, residents and nurses."),
    ("0 14:30-15:00", "", "break", "", "", "Coffee break", _POSTER_BREAK),
    ("0 15:00-16:30", "haven", "poster", "", "",
     "Poster session 1: cardiology, oncology and digital health",
     "Around 60 posters from early-career researchers, with the authors at their boards for "
     "questions. Vote for the best poster in the app; prizes are awarded at Sunday's closing "
     "keynote."),
    ("0 15:00-15:45", "maas", "talk", "edu", "dubois",
     "Competency-based training: what changed and what did not",
     "Several European countries now train specialists through entrustable professional "
     "activities. Claire Dubois compares the French and Dutch experience and asks whether the "
     "new curricula made training shorter, fairer or safer."),
    ("0 15:45-16:30", "maas", "talk", "edu", "osullivan",
     "Simulation training for the whole team",
     "Most simulation is still run for doctors alone, while real emergencies are handled by "
     "teams. This talk shows how in-situ interprofessional simulation in Dublin uncovered "
     "latent safety threats and improved team communication."),
    ("0 15:00-16:30", "rotte", "panel", "id", "janssens martin mensah",
     "Preparing hospitals for the next respiratory pandemic",
     "What did hospitals learn from COVID-19 and recent influenza seasons, and what has already "
     "been forgotten? A panel on surge capacity, stockpiles, infection prevention and "
     "protecting staff, with time for questions from the floor."),
    ("0 16:45-17:45", "main", "keynote", "onco", "okafor",
     "Keynote: Financial toxicity and cancer care people can afford",
     "Even in universal health systems, cancer pushes many households into debt through lost "
     "income, travel and out-of-pocket costs. Amara Okafor shows how financial hardship affects "
     "adherence and survival, and what clinicians can screen for and do in clinic."),
    ("0 17:45-19:00", "", "social", "", "", "Welcome drinks",
     "Meet fellow participants over drinks and bites in the main foyer, with music from a "
     "student jazz trio. Non-alcoholic drinks are available."),
    # Day 1: Saturday 27 March 2027
    ("1 08:30-09:00", "", "break", "", "", "Morning coffee",
     "Coffee and tea in the main foyer before the morning keynote."),
    ("1 09:00-10:00", "main", "keynote", "id", "mensah",
     "Keynote: Antimicrobial resistance without borders",
     "Resistant bacteria travel with people, food and animals, and no country can solve the "
     "problem alone. Kwame Mensah shows how surveillance networks across Africa and Europe "
     "share data, and what European clinicians can learn from low-resource stewardship."),
    ("1 10:00-10:30", "", "break", "", "", "Coffee break", _COFFEE),
    ("1 10:30-11:15", "main", "talk", "cardio", "ferreira",
     "Lipoprotein(a): who to test and what to do",
     "One in five Europeans has raised lipoprotein(a), and most do not know it. This talk "
     "explains the testing recommendations, how to discuss a result while specific treatments "
     "are still in trials, and how it changes overall risk management."),
    ("1 11:15-12:00", "main", "talk", "digital", "weber",
     "Wearables and atrial fibrillation: signal or noise?",
     "Smartwatches now flag irregular rhythms in millions of users. Jonas Weber reviews the "
     "accuracy of consumer devices, the referrals they create, and a pragmatic pathway for "
     "patients who arrive with an alert on their wrist."),
    ("1 10:30-12:00", "maas", "panel", "onco", "lindqvist okafor bianchi",
     "Shared decision-making in metastatic cancer",
     "How do we help patients choose between another line of treatment and focusing on quality "
     "of life? Oncologists and a psycho-oncologist discuss decision aids, prognostic "
     "conversations and involving families."),
    ("1 10:30-11:15", "rotte", "talk", "id", "janssens",
     "Sepsis in the emergency department: the first hour",
     "Early treatment of sepsis saves lives, but aggressive protocols also lead to "
     "overtreatment. Pieter Janssens discusses screening tools, lactate, fluids and when "
     "broad-spectrum antibiotics really cannot wait."),
    ("1 11:15-12:00", "rotte", "talk", "id", "martin",
     "Penicillin allergy delabelling in everyday practice",
     "About one in ten patients carries a penicillin allergy label, and most are not allergic. "
     "This talk shows how pharmacists and nurses can safely remove low-risk labels with a "
     "direct oral challenge."),
    ("1 10:30-11:15", "haven", "talk", "digital", "bakker",
     "Ambient AI scribes: a year in a Dutch hospital",
     "UMC Utrecht introduced ambient documentation in its outpatient clinics in 2026. Sanne "
     "Bakker shares the measured effects on documentation time, note quality and patient "
     "experience, and the governance that won clinicians' trust."),
    ("1 11:15-12:00", "haven", "talk", "cardio", "degroot",
     "Remote monitoring that heart failure nurses trust",
     "Remote monitoring creates data, not care. Anneke de Groot describes how her team chose "
     "which alerts to act on, reduced alarm fatigue and learned which patients benefit from "
     "telemonitoring and which prefer a phone call."),
    ("1 10:30-12:00", "lab2", "workshop/20", "edu", "dubois",
     "Writing your first grant application",
     "A practical workshop for early-career clinicians and researchers. We take apart a "
     "successful and an unsuccessful application, practise writing a one-page summary and "
     "discuss how reviewers actually score proposals."),
    ("1 12:00-13:00", "", "break", "", "", "Lunch", _LUNCH),
    ("1 13:00-14:30", "main", "panel", "edu", "visser osullivan dubois",
     "Careers in medicine: part-time, portfolio and abroad",
     "Fewer young doctors and nurses want a traditional full-time career in one hospital. "
     "Panellists who work part-time, combine clinical work with research, or trained abroad "
     "share what it took and answer your questions about the next step."),
    ("1 13:00-13:45", "maas", "talk", "cardio", "ferreira bianchi",
     "Cardio-oncology: protecting the heart during cancer treatment",
     "Anthracyclines, HER2-targeted drugs, immunotherapy and chest radiotherapy all carry "
     "cardiac risks. A cardiologist and a radiation oncologist present a shared approach to "
     "baseline assessment, monitoring and when to pause treatment."),
    ("1 13:45-14:30", "maas", "talk", "onco", "bianchi",
     "Radiotherapy for oligometastatic disease",
     "Stereotactic radiotherapy to a few metastases may prolong survival in selected patients. "
     "Marco Bianchi reviews the trials, how to select patients in a tumour board and the side "
     "effects to discuss beforehand."),
    ("1 13:00-13:45", "rotte", "talk", "id", "mensah",
     "Tuberculosis elimination in low-incidence countries",
     "Europe's tuberculosis cases are increasingly concentrated in migrants and other "
     "underserved groups. This talk covers latent infection screening, shorter treatment "
     "regimens and keeping patients in care across borders."),
    ("1 13:45-14:30", "rotte", "talk", "id", "martin", "Outpatient antibiotic therapy at home",
     "Outpatient parenteral antibiotic therapy frees hospital beds and many patients prefer it. "
     "Lucía Martín shows how to select patients, choose once-daily regimens and organise "
     "monitoring with community nurses."),
    ("1 13:00-14:30", "lab1", "workshop/30", "cardio", "vermeulen degroot",
     "ECG interpretation bootcamp",
     "Ninety minutes of ECGs, from the routine to the life-threatening. Working in pairs "
     "through 30 real tracings, you practise a systematic approach and discuss the ones people "
     "most often get wrong. Suitable for students, residents and nurses."),
    ("1 13:00-14:30", "lab2", "workshop/20", "digital", "bakker weber",
     "Evaluating an AI tool before you buy it",
     "Vendors promise accuracy, but your patients are not their validation set. You assess a "
     "realistic product dossier for a sepsis prediction tool with a checklist covering bias, "
     "local validation and monitoring after go-live."),
    ("1 14:30-15:00", "", "break", "", "", "Coffee break", _POSTER_BREAK),
    ("1 15:00-16:30", "haven", "poster", "", "",
     "Poster session 2: infectious disease, education and careers",
     "Around 60 posters on infectious disease, stewardship, medical education and careers, with "
     "the authors at their boards. Vote for the best poster in the app."),
    ("1 15:00-15:45", "maas", "talk", "onco", "okafor", "Exercise as medicine during chemotherapy",
     "Supervised exercise during chemotherapy reduces fatigue and may help patients complete "
     "treatment. Amara Okafor presents the evidence and practical ways to refer patients, even "
     "where no specialised programme exists."),
    ("1 15:45-16:30", "maas", "talk", "onco", "lindqvist",
     "Fertility preservation: the conversation we skip",
     "Young adults with cancer are still not routinely offered fertility counselling before "
     "treatment. Helena Lindqvist discusses the options, the time they take and how to build a "
     "fast referral pathway."),
    ("1 15:00-16:30", "rotte", "panel", "digital", "weber raman bakker",
     "Patient data across borders: the European Health Data Space",
     "The European Health Data Space will let patients take their records across borders and "
     "open data for research. Panellists explain what it means for hospitals and patients, and "
     "which privacy questions are still open."),
    ("1 16:45-17:45", "main", "keynote", "cardio", "vermeulen",
     "Keynote: Prevention beats intervention",
     "Despite ever better procedures, most cardiovascular deaths in Europe could be prevented "
     "earlier in life. Ingrid Vermeulen argues for moving resources from catheter labs to "
     "communities and shows what cardiologists can do outside the hospital."),
    ("1 19:00-23:00", "", "social", "", "", "Conference dinner on the SS Rotterdam",
     "A three-course dinner on board the former ocean liner, a 20-minute walk or short "
     "water-taxi ride from the venue. Included for registered participants; tell the "
     "registration desk about dietary needs by Saturday noon."),
    # Day 2: Sunday 28 March 2027 (clocks go forward at 02:00: CET becomes CEST)
    ("2 08:30-09:00", "", "break", "", "", "Morning coffee",
     "Coffee and tea in the main foyer. Clocks went forward an hour last night: check that your "
     "phone shows summer time."),
    ("2 09:00-10:00", "main", "keynote", "edu", "dubois",
     "Keynote: Training clinicians for a future we cannot predict",
     "Which skills still matter when AI drafts the notes and suggests the diagnosis? Claire "
     "Dubois argues that judgement, communication and teamwork belong at the centre of medical "
     "curricula, and shows schools that already put them there."),
    ("2 10:00-10:30", "", "break", "", "", "Coffee break", _COFFEE),
    ("2 10:30-12:00", "main", "panel", "id", "janssens mensah martin",
     "One Health: animals, people and resistant bacteria",
     "Antibiotic use in farming, pets and the environment shapes the resistance seen in "
     "hospitals. Clinicians, a pharmacist and a global health researcher discuss what One "
     "Health means in daily practice and which policies have worked."),
    ("2 10:30-11:15", "maas", "talk", "cardio", "degroot",
     "Nurse-led heart failure titration clinics",
     "Most patients with heart failure never reach the target doses of guideline medicines. "
     "Anneke de Groot presents results from nurse-led titration clinics in Rotterdam, their "
     "protocols and how cardiologists stay involved."),
    ("2 11:15-12:00", "maas", "talk", "cardio", "vermeulen",
     "Women and heart disease: closing the evidence gap",
     "Women remain under-represented in cardiovascular trials and are diagnosed later. Ingrid "
     "Vermeulen reviews sex differences in presentation and treatment response, and what "
     "clinicians can change today."),
    ("2 10:30-11:15", "rotte", "talk", "onco", "okafor",
     "Cancer screening in underserved neighbourhoods",
     "Screening uptake is lowest where cancer mortality is highest. This talk presents a "
     "community health worker programme in London that raised bowel and cervical screening "
     "rates, and the lessons for other cities."),
    ("2 11:15-12:00", "rotte", "talk", "onco", "lindqvist", "Making molecular tumour boards work",
     "Genomic reports are growing longer while clinical time is not. Helena Lindqvist describes "
     "how Karolinska's molecular tumour board triages cases, documents its advice and measures "
     "whether patients actually benefit."),
    ("2 10:30-11:15", "haven", "talk", "digital", "weber",
     "Explainable AI in radiology: what clinicians need to see",
     "Heatmaps and confidence scores are meant to make imaging AI trustworthy, but do they "
     "help? Jonas Weber presents user studies with radiologists and referrers and proposes what "
     "an explanation should contain."),
    ("2 11:15-12:00", "haven", "talk", "edu", "raman",
     "Teaching clinical reasoning with AI tutors",
     "Students already use chatbots to rehearse cases. Priya Raman shares a controlled study of "
     "an AI tutor for diagnostic reasoning: where students improved, where they became "
     "over-confident, and how teachers can steer its use."),
    ("2 10:30-12:00", "lab1", "workshop/24", "edu", "osullivan",
     "Resuscitation simulation: leading the team",
     "High-fidelity simulation of cardiac arrest and peri-arrest scenarios, with the focus on "
     "leadership, closed-loop communication and task allocation. Every participant leads one "
     "scenario and gets video-supported feedback."),
    ("2 12:00-13:00", "", "break", "", "", "Lunch", _LUNCH),
    ("2 13:00-13:45", "main", "talk", "digital", "bakker",
     "Designing digital care for older patients",
     "Patient portals and video consultations risk leaving older people behind. Sanne Bakker "
     "presents co-design work with patients over 75 and simple measures that made digital care "
     "usable for them and their carers."),
    ("2 13:45-14:30", "main", "talk", "edu", "visser", "Rest, rotas and patient safety",
     "Long shifts and broken sleep affect both clinicians and patients. Femke Visser reviews "
     "the evidence on fatigue and error, and shows rota designs that residents and managers in "
     "Amsterdam agreed on."),
    ("2 13:00-14:30", "maas", "panel", "onco", "lindqvist bianchi okafor",
     "Life after cancer: organising survivorship care",
     "More people than ever live for years after cancer treatment, often with late effects. "
     "The panel discusses shared care with general practice, nurse-led follow-up and how to "
     "address fatigue, fear of recurrence and return to work."),
    ("2 13:00-14:30", "lab1", "workshop/30", "id", "janssens martin",
     "Outbreak investigation: a tabletop exercise",
     "A cluster of carbapenem-resistant infections appears on your ward. In teams you work "
     "through the investigation step by step: case definitions, screening, contact tracing and "
     "communication with staff and patients."),
    ("2 14:30-15:00", "", "break", "", "", "Coffee break", _COFFEE),
    ("2 15:00-16:00", "main", "keynote", "edu", "osullivan",
     "Closing keynote: Medicine is a team sport",
     "Niamh O'Sullivan closes the conference with stories from emergency rooms and simulation "
     "labs about what makes teams safe. The poster prizes are awarded at the end of the "
     "session."),
)

# Attendees: "Name/country code"; PLACES maps the code to the country and (city, organization).
ATTENDEES = (
    "Daan de Jong/NL", "Lotte van Dijk/NL", "Sem Mulder/NL", "Fleur Smit/NL",
    "Thijs van den Berg/NL", "Noor El Amrani/NL", "Bram Hendriks/NL", "Eva Kuipers/NL",
    "Lien Peeters/BE", "Arne Claes/BE", "Camille Lambert/BE", "Wout Maes/BE",
    "Lena Schneider/DE", "Felix Wagner/DE", "Hannah Becker/DE", "Tobias Hoffmann/DE",
    "Mia Schulz/DE", "Léa Martin/FR", "Hugo Bernard/FR", "Chloé Petit/FR", "Julien Moreau/FR",
    "Carmen López/ES", "Javier Sánchez/ES", "Marta Romero/ES", "Giulia Ricci/IT",
    "Luca Conti/IT", "Francesca Moretti/IT", "Inês Costa/PT", "Rui Almeida/PT",
    "Oliver Hughes/UK", "Emily Clarke/UK", "Priya Shah/UK", "James Whitfield/UK",
    "Aoife Kelly/IE", "Conor Byrne/IE", "Elsa Johansson/SE", "Erik Nilsson/SE",
    "Freja Sørensen/DK", "Sigrid Haugen/NO", "Zofia Nowak/PL", "Piotr Kowalczyk/PL",
    "Noah Meier/CH", "Anna Gruber/AT", "Eleni Papadopoulou/GR", "Michael Chen/US",
    "Sophie Tremblay/CA", "Chiamaka Eze/NG", "Arjun Mehta/IN", "Beatriz Oliveira/BR",
    "Yuki Tanaka/JP",
)

PLACES = {
    "NL": ("Netherlands", ("Rotterdam", "Erasmus MC"), ("Amsterdam", "Amsterdam UMC"),
           ("Utrecht", "UMC Utrecht"), ("Leiden", "LUMC"), ("Nijmegen", "Radboudumc"),
           ("Groningen", "UMCG")),
    "BE": ("Belgium", ("Antwerp", "Antwerp University Hospital"), ("Leuven", "UZ Leuven"),
           ("Ghent", "Ghent University Hospital")),
    "DE": ("Germany", ("Berlin", "Charité"), ("Munich", "LMU Klinikum"),
           ("Hamburg", "University Medical Center Hamburg-Eppendorf"),
           ("Heidelberg", "Heidelberg University Hospital")),
    "FR": ("France", ("Paris", "Hôpital Pitié-Salpêtrière"), ("Lyon", "Hospices Civils de Lyon"),
           ("Lille", "CHU de Lille")),
    "ES": ("Spain", ("Madrid", "Hospital Universitario La Paz"),
           ("Barcelona", "Hospital Clínic de Barcelona")),
    "IT": ("Italy", ("Milan", "Ospedale Niguarda"), ("Bologna", "Policlinico Sant'Orsola"),
           ("Rome", "Policlinico Gemelli")),
    "PT": ("Portugal", ("Lisbon", "Hospital de Santa Maria"), ("Porto", "Hospital de São João")),
    "UK": ("United Kingdom", ("London", "Guy's and St Thomas'"),
           ("Manchester", "Manchester Royal Infirmary"),
           ("Edinburgh", "Royal Infirmary of Edinburgh")),
    "IE": ("Ireland", ("Dublin", "St James's Hospital"), ("Cork", "Cork University Hospital")),
    "SE": ("Sweden", ("Stockholm", "Karolinska University Hospital"),
           ("Gothenburg", "Sahlgrenska University Hospital")),
    "DK": ("Denmark", ("Copenhagen", "Rigshospitalet")),
    "NO": ("Norway", ("Oslo", "Oslo University Hospital")),
    "PL": ("Poland", ("Warsaw", "Medical University of Warsaw"),
           ("Kraków", "University Hospital in Kraków")),
    "CH": ("Switzerland", ("Bern", "Inselspital")),
    "AT": ("Austria", ("Vienna", "Vienna General Hospital")),
    "GR": ("Greece", ("Athens", "Evangelismos Hospital")),
    "US": ("United States", ("Boston", "Massachusetts General Hospital")),
    "CA": ("Canada", ("Montreal", "McGill University Health Centre")),
    "NG": ("Nigeria", ("Lagos", "Lagos University Teaching Hospital")),
    "IN": ("India", ("Mumbai", "Tata Memorial Hospital")),
    "BR": ("Brazil", ("São Paulo", "Hospital das Clínicas")),
    "JP": ("Japan", ("Tokyo", "University of Tokyo Hospital")),
}

# profession, weight, (career stages), ((specialty, related interests), ...)
PERSONAS = (
    ("physician", 16, ("trainee", "early career", "mid career", "senior", "department lead"), (
        ("cardiology", "heart failure, atrial fibrillation, cardiac imaging"),
        ("medical oncology", "immunotherapy, precision oncology, clinical trials"),
        ("infectious diseases", "antimicrobial resistance, sepsis, vaccination"),
        ("internal medicine", "multimorbidity, sepsis, clinical reasoning"),
        ("emergency medicine", "sepsis, simulation, point-of-care ultrasound"),
        ("general practice", "prevention, shared decision-making, digital health"),
        ("radiology", "AI in imaging, cardiac imaging, oncology imaging"))),
    ("nurse", 10, ("early career", "mid career", "senior", "department lead"), (
        ("cardiac care", "heart failure, remote monitoring, patient education"),
        ("oncology nursing", "survivorship, symptom management, patient education"),
        ("infection prevention", "hand hygiene, outbreak management, antimicrobial resistance"),
        ("intensive care", "sepsis, wellbeing, simulation"))),
    ("researcher", 8, ("early career", "mid career", "senior"), (
        ("epidemiology", "long COVID, vaccination, open science"),
        ("clinical trials", "trial design, patient involvement, open science"),
        ("health data science", "AI in healthcare, data sharing, privacy"),
        ("immunology", "immunotherapy, vaccination, translational research"))),
    ("pharmacist", 5, ("early career", "mid career", "senior"), (
        ("hospital pharmacy", "medication safety, deprescribing, OPAT"),
        ("antimicrobial stewardship", "antimicrobial resistance, penicillin allergy, OPAT"),
        ("oncology pharmacy", "immunotherapy, medication safety, drug costs"))),
    ("allied health", 4, ("early career", "mid career", "senior"), (
        ("physiotherapy", "cardiac rehabilitation, exercise oncology, prevention"),
        ("dietetics", "malnutrition, prevention, patient education"))),
    ("student", 5, ("student",), (
        ("medicine", "careers, mentoring, point-of-care ultrasound"),
        ("nursing", "careers, simulation, patient education"),
        ("biomedical sciences", "research careers, immunology, open science"))),
    ("industry", 2, ("mid career", "senior"), (
        ("medical devices", "remote monitoring, regulation, wearables"),
        ("clinical software", "AI in healthcare, interoperability, usability"))),
)

GENERAL_INTERESTS = (
    "mentoring", "global health", "medical education", "leadership", "health equity",
    "wellbeing", "quality improvement", "teaching", "patient safety", "AI in healthcare",
)
INDUSTRY_EMPLOYERS = ("Helix Diagnostics", "Lumen Health Analytics", "Stratus MedTech")
STAGE_WORDS = {
    "trainee": "Trainee", "early career": "Early-career", "mid career": "", "senior": "Senior",
    "department lead": "Lead",
}
BIO_ENDINGS = (
    "Interested in {0} and {1}.", "Here to meet people working on {0}.",
    "Happy to talk about {0}, {1} or {2}.", "Hoping to learn more about {1}.",
)

# ---- People and introductions (confnet.people.demo) ----

# Sub-specialties per specialty (lower case, as in PERSONAS and SPEAKERS).
SUB_SPECIALTIES = {
    "cardiology": ("Heart failure", "Electrophysiology", "Cardiac imaging"),
    "interventional cardiology": ("Structural heart disease",),
    "heart failure": ("Telemonitoring",),
    "medical oncology": ("Immunotherapy", "Breast cancer", "Lung cancer"),
    "radiation oncology": ("Stereotactic radiotherapy",),
    "infectious diseases": ("Sepsis", "HIV medicine", "Antimicrobial resistance"),
    "internal medicine": ("Acute medicine", "Geriatrics"),
    "emergency medicine": ("Resuscitation", "Point-of-care ultrasound"),
    "general practice": ("Chronic disease management",),
    "radiology": ("Cardiac imaging", "Oncologic imaging"),
    "cardiac care": ("Heart failure",),
    "oncology nursing": ("Survivorship",),
    "intensive care": ("Sepsis",),
    "epidemiology": ("Vaccine epidemiology",),
    "clinical trials": ("Trial design",),
    "health data science": ("Machine learning",),
    "hospital pharmacy": ("Medication safety",),
    "antimicrobial stewardship": ("Penicillin allergy",),
    "oncology pharmacy": ("Immunotherapy",),
    "clinical informatics": ("Clinical AI",),
    "medical education": ("Assessment",),
}

# Languages besides English, by country.
LANGUAGES = {
    "Netherlands": ("Dutch",), "Belgium": ("Dutch", "French"), "Germany": ("German",),
    "France": ("French",), "Spain": ("Spanish",), "Italy": ("Italian",),
    "Portugal": ("Portuguese",), "Ireland": ("Irish",), "Sweden": ("Swedish",),
    "Denmark": ("Danish",), "Norway": ("Norwegian",), "Poland": ("Polish",),
    "Switzerland": ("German", "French"), "Austria": ("German",), "Greece": ("Greek",),
    "Canada": ("French",), "Nigeria": ("Yoruba",), "India": ("Hindi", "Marathi"),
    "Brazil": ("Portuguese",), "Japan": ("Japanese",),
}
EXTRA_LANGUAGES = ("German", "French", "Spanish")

# Career stage -> (what they may offer, what they may seek); industry has its own line.
INTENTS = {
    "student": ((), ("mentor", "peers", "position")),
    "trainee": (("advice",), ("mentor", "peers", "position")),
    "early career": (("advice",), ("mentor", "collaborators", "peers")),
    "mid career": (("advice", "collaboration", "mentoring"), ("collaborators", "peers")),
    "senior": (("mentoring", "collaboration", "hiring"), ("collaborators", "trial sites")),
    "department lead": (("mentoring", "hiring", "collaboration"), ("collaborators",)),
    "industry": (("collaboration", "hiring"), ("trial sites", "collaborators")),
}

# People whose profile is set by hand, so that Lotte van Dijk (a demo login) meets good
# matches: name -> profession, specialty, sub-specialty, career stage, organization, city,
# country, languages, interests, offers, seeks, bio.
HAND_MADE = {
    "Lotte van Dijk": (
        "physician", "Cardiology", "Heart failure", "early career", "Erasmus MC", "Rotterdam",
        "Netherlands", "Dutch, English, German",
        "heart failure, remote monitoring, cardiac imaging, mentoring",
        "advice", "mentor, collaborators, peers",
        "Early-career cardiologist at Erasmus MC, building a heart failure telemonitoring study. "
        "Looking for a mentor and for centres to compare notes with."),
    "Lena Schneider": (
        "physician", "Cardiology", "Heart failure", "senior", "Charité", "Berlin", "Germany",
        "German, English", "heart failure, remote monitoring, clinical trials",
        "mentoring, collaboration", "collaborators",
        "Senior cardiologist at the Charité who leads its heart failure unit and a multicentre "
        "telemonitoring trial. Happy to mentor early-career cardiologists."),
    "Giulia Ricci": (
        "physician", "Cardiology", "Electrophysiology", "trainee", "Policlinico Sant'Orsola",
        "Bologna", "Italy", "Italian, English", "atrial fibrillation, cardiac imaging, wellbeing",
        "", "peers, mentor",
        "Cardiology trainee in Bologna. Would love to meet other trainees in cardiology."),
    "Oliver Hughes": (
        "researcher", "Clinical trials", "Trial design", "mid career", "Guy's and St Thomas'",
        "London", "United Kingdom", "English", "heart failure, trial design, remote monitoring",
        "collaboration, advice", "trial sites, collaborators",
        "Trialist in London designing a pragmatic trial of remote monitoring in heart failure; "
        "looking for sites across Europe."),
    "Emily Clarke": (
        "nurse", "Cardiac care", "Heart failure", "mid career", "Manchester Royal Infirmary",
        "Manchester", "United Kingdom", "English", "heart failure, remote monitoring, "
        "patient education", "advice, collaboration", "collaborators, peers",
        "Heart failure nurse specialist in Manchester who set up a nurse-led remote monitoring "
        "service."),
}

# Speakers with an account: (offers, seeks).
SPEAKER_INTENTS = {
    "speaker@confnet.test": ("mentoring, collaboration", "collaborators"),
    "anneke.degroot@confnet.test": ("mentoring, advice", "peers"),
    "marco.bianchi@confnet.test": ("collaboration", "trial sites"),
    "pieter.janssens@confnet.test": ("mentoring, hiring", "collaborators"),
    "lucia.martin@confnet.test": ("advice, collaboration", "peers"),
    "sanne.bakker@confnet.test": ("collaboration, advice", "collaborators"),
    "claire.dubois@confnet.test": ("mentoring", "collaborators"),
    "femke.visser@confnet.test": ("", "mentor, peers"),
}

# Attendees who chose not to be listed (name -> visibility value).
VISIBILITY = {"Yuki Tanaka": "hidden", "Michael Chen": "connections"}

# name, details
MEETING_POINTS = (
    ("Meeting lounge, level 2", "Quiet tables next to the Haven Room, lift B."),
    ("Foyer café, ground floor", "By the main entrance; busy in the breaks."),
    ("Terrace corner, level 1", "Outside the Maas Room, with a view of the Schouwburgplein."),
)

# Lotte's introductions: (kind, other person, introducer, message). "connected": accepted;
# "asked": the other asked Lotte, her answer pending; "brokered": the introducer wrote to both,
# the other said yes, Lotte has not answered yet.
LOTTE = "Lotte van Dijk"
INTRODUCTIONS = (
    ("connected", "Daan de Jong", None,
     "Hi Lotte, good to meet you at the Rotterdam cardiology journal club. Let's stay in touch!"),
    ("asked", "Sem Mulder", None,
     "Hi Lotte, I'm starting a cardiology rotation at Erasmus MC and would love to hear about "
     "your telemonitoring study."),
    ("brokered", "Emily Clarke", "Ingrid Vermeulen",
     "Lotte, Emily: you both work on remote monitoring in heart failure, Emily in Manchester and "
     "Lotte in Rotterdam. I think you'd enjoy a coffee during the conference."),
)

# fmt: on
