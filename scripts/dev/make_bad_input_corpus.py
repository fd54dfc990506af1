"""Regenerate tests/bad-input/ from the mini study: one folder per case (see tests/test_bad_input.py).

Run from anywhere: python scripts/dev/make_bad_input_corpus.py. It replaces the whole corpus.
"""

import shutil
from pathlib import Path

import yaml
import yaml as _y

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/bad-input"
MINI = ROOT / "tests/fixtures/mini-study"
if OUT.exists():
    shutil.rmtree(OUT)
OUT.mkdir()
L = (MINI / "larvik.yaml").read_text()
T = (MINI / "tonsberg.yaml").read_text()
C = (MINI / "coding.csv").read_text()
S = (MINI / "study.yaml").read_text()


def sub(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


cases = []


def case(name, desc, command, expect, files=None, remove=None, env=None, binary=None):
    d = OUT / name
    d.mkdir()
    place = {}
    for fname, (dest, content) in (files or {}).items():
        if isinstance(content, bytes):
            (d / fname).write_bytes(content)
        else:
            (d / fname).write_text(content, encoding="utf-8")
        place[fname] = dest
    spec = {"description": desc, "command": command, "expect": expect}
    if place:
        spec["place"] = place
    if remove:
        spec["remove"] = remove
    if env:
        spec["env"] = env
    (d / "case.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


LY = "data/study-2020/larvik.yaml"
TY = "data/study-2020/tonsberg.yaml"
CY = "data/study-2020/coding.csv"
SY = "data/study-2020/study.yaml"
B = ["build"]


def ycase(n, desc, new, expect, dest=LY, base=None):
    case(f"yaml-{n}", desc, B, expect, files={Path(dest).name: (dest, new)})


# ---------- YAML ----------
ycase(
    "unknown-key-document",
    "An unknown key in a document",
    sub(L, "    obtained: sent\n", "    obtained: sent\n    colour: red\n"),
    ["larvik.yaml:13", "documents[0].colour", "unknown key 'colour'", "allowed:"],
)
ycase(
    "unknown-key-top",
    "An unknown key at the top of a file",
    sub(L, 'source: "4.3.3"\n', 'source: "4.3.3"\nkommune: Larvik\n'),
    ["larvik.yaml:4", "unknown key 'kommune'"],
)
ycase(
    "unknown-key-finding",
    "An unknown key in a finding",
    sub(L, "        location: visjon\n", "        location: visjon\n        page: 4\n"),
    ["larvik.yaml:19", "findings[0].page", "unknown key 'page'"],
)
ycase(
    "syntax-error",
    "Unclosed flow sequence",
    sub(L, "title: Digitaliseringsstrategi 2018–2020", "title: [unclosed"),
    ["larvik.yaml:", "YAML syntax error"],
)
ycase(
    "tab-indent",
    "A tab used for indentation",
    sub(L, "    title: Digitaliseringsstrategi", "\ttitle: Digitaliseringsstrategi"),
    ["larvik.yaml:6", "YAML syntax error"],
)
ycase(
    "latin1",
    "Latin-1 instead of UTF-8",
    sub(L, "2018–2020\n    plan_level", "Tønsberg\n    plan_level").encode("latin-1"),
    ["larvik.yaml:6", "not valid UTF-8"],
)
ycase("empty", "An empty file", "", ["larvik.yaml:1", "file is empty"])
ycase("only-comment", "A file with only a comment", "# nothing yet\n", ["larvik.yaml:1", "file is empty"])
ycase(
    "top-level-list",
    "A list where a mapping is expected",
    "- larvik\n- tonsberg\n",
    ["larvik.yaml:1", "expected a mapping"],
)
ycase(
    "number-as-int",
    "Municipality number written as a number",
    sub(L, 'number: "3805"', "number: 3805"),
    ["larvik.yaml:2", "number", "3805 is not of type string"],
)
ycase(
    "number-three-digits",
    "A kommunenummer that is not four digits",
    sub(L, 'number: "3805"', 'number: "385"'),
    ["larvik.yaml:2", "does not match the expected form"],
)
ycase(
    "number-other-county",
    "A kommunenummer that belongs to a municipality in another county",
    sub(L, 'number: "3805"', 'number: "1103"'),
    ["larvik.yaml:2", "number 1103 is not larvik's", "1103 is stavanger, county 11", "3805 (county 38)"],
)
ycase(
    "number-other-municipality",
    "The number of another municipality in the same county",
    sub(L, 'number: "3805"', 'number: "3806"'),
    ["larvik.yaml:2", "3806 is porsgrunn"],
)
ycase(
    "number-2024",
    "The 2024 number on a 2020 study",
    sub(L, 'number: "3805"', 'number: "3909"'),
    ["larvik.yaml:2", "number 3909 is not larvik's municipality number on 2020-01-01"],
)
ycase(
    "unknown-municipality",
    "A municipality the reference data does not know",
    sub(L, "municipality: larvik", "municipality: atlantis"),
    ["larvik.yaml:1", "unknown municipality 'atlantis'"],
)
ycase(
    "bad-slug",
    "An id with capital letters and spaces",
    sub(L, "id: mini-larvik-strategi", "id: Mini Larvik Strategi"),
    ["larvik.yaml:5", "documents[0].id", "does not match the expected form"],
)
ycase(
    "impossible-date",
    "30 February",
    sub(L, "valid_from: 2018", 'valid_from: "2018-02-30"'),
    ["larvik.yaml:10", "valid_from", "not a real date"],
)
ycase(
    "norwegian-date",
    "A date in Norwegian form",
    sub(L, "valid_from: 2018", "valid_from: 18.06.2018"),
    ["larvik.yaml:10", "not a date (YYYY-MM-DD) or a year"],
)
ycase(
    "year-out-of-range",
    "A year of five digits",
    sub(L, "valid_from: 2018", "valid_from: 20180"),
    ["larvik.yaml:10", "not a date (YYYY-MM-DD) or a year"],
)
ycase(
    "period-reversed",
    "A period that ends before it starts",
    sub(L, "valid_from: 2018", "valid_from: 2021"),
    ["larvik.yaml:11", "valid_to", "period ends (2020-12-31) before it starts (2021-01-01)"],
)
ycase(
    "bad-status",
    "A status outside the vocabulary",
    sub(L, "status: adopted\n    valid_from", "status: vedtatt\n    valid_from"),
    ["larvik.yaml:9", "'vedtatt' is not allowed; allowed: adopted, draft, under-development, under-revision"],
)
ycase(
    "bad-plan-level",
    "A plan level outside the vocabulary",
    sub(L, "plan_level: sector-strategy", "plan_level: strategi"),
    ["larvik.yaml:7", "plan_level", "'strategi' is not allowed"],
)
ycase(
    "bad-how",
    "A relation outside the vocabulary",
    sub(L, "how: thematic", "how: inspired"),
    ["larvik.yaml:21", "how", "'inspired' is not allowed"],
)
ycase(
    "unquoted-yes",
    "addresses_digitalisation: yes read as a boolean",
    sub(L, 'addresses_digitalisation: "no"', "addresses_digitalisation: no"),
    ["larvik.yaml:29", "addresses_digitalisation", "False is not allowed; allowed: yes, partly, no, unknown"],
)
ycase(
    "elements-not-list",
    "elements as a string",
    sub(L, "elements: [public-e-services]", "elements: public-e-services"),
    ["larvik.yaml:22", "elements", "is not of type array"],
)
ycase(
    "no-elements",
    "A finding with no eGovWSF element",
    sub(L, "elements: [public-e-services]", "elements: []"),
    ["larvik.yaml:22", "elements", "should be non-empty"],
)
ycase(
    "missing-text",
    "A finding without its evidence text",
    sub(L, "        text: Brukeren i sentrum.\n", ""),
    ["larvik.yaml:15", "findings[0]", "'text' is a required property"],
)
ycase(
    "empty-text",
    "A finding with empty evidence text",
    sub(L, "text: Brukeren i sentrum.", 'text: ""'),
    ["larvik.yaml:17", "text", "should be non-empty"],
)
ycase(
    "missing-source",
    "A document without a source",
    sub(
        L,
        '    obtained: website\n    addresses_digitalisation: "no"\n    source: "4.3.3"\n',
        '    obtained: website\n    addresses_digitalisation: "no"\n',
    ),
    ["larvik.yaml:24", "documents[1]", "'source' is a required property"],
)
ycase(
    "unknown-guidance",
    "A guidance id that does not exist",
    sub(L, "meld-st-27/brukeren-i-sentrum", "meld-st-27/brukeren-i-periferien"),
    ["larvik.yaml:20", "guidance", "unknown guidance id 'meld-st-27/brukeren-i-periferien'", "known in that document"],
)
ycase(
    "unknown-element",
    "An eGovWSF element that does not exist",
    sub(L, "elements: [public-e-services]", "elements: [public-services]"),
    ["larvik.yaml:22", "unknown eGovWSF element 'public-services'", "allowed:"],
)
ycase(
    "unknown-cooperation",
    "A membership of an unknown cooperation",
    sub(
        L,
        'source: "4.3.3"\ndocuments:',
        'source: "4.3.3"\nmemberships:\n  - cooperation: digi-atlantis\n    source: "4.3"\ndocuments:',
    ),
    ["larvik.yaml:5", "memberships[0].cooperation", "unknown cooperation 'digi-atlantis'"],
)
ycase(
    "dangling-replaces",
    "replaces points to an unknown document",
    sub(
        L,
        '    source: "4.3.3"\n    findings:',
        '    replaces: larvik-ikt-strategi-1999\n    source: "4.3.3"\n    findings:',
    ),
    ["larvik.yaml:13", "replaces", "unknown document id 'larvik-ikt-strategi-1999'"],
)
ycase(
    "dangling-structure-document",
    "A structure described in an unknown document",
    L
    + 'structures:\n  - id: larvik-forum\n    name: Digitaliseringsforum\n    kind: forum\n    documents: [larvik-mandat]\n    source: "4.3.3"\n',
    ["larvik.yaml:35", "structures[0].documents[0]", "unknown document id 'larvik-mandat'"],
)
ycase(
    "duplicate-document-id",
    "The same document id in two files",
    sub(T, "id: mini-tonsberg-utkast", "id: mini-larvik-strategi"),
    ["tonsberg.yaml:5", "duplicate document id 'mini-larvik-strategi'", "also in"],
    dest=TY,
)
ycase(
    "duplicate-finding-id",
    "The same finding id twice in one file",
    sub(
        L,
        '    addresses_digitalisation: "no"\n    source: "4.3.3"\n',
        '    addresses_digitalisation: "no"\n    source: "4.3.3"\n    findings:\n      - id: mini-larvik-visjon\n        evidence: summary\n        text: Ingen mål om digitalisering.\n        reflects: []\n        elements: [value-for-society]\n        source: "4.3.3"\n',
    ),
    ["larvik.yaml:32", "duplicate finding id 'mini-larvik-visjon'"],
)
ycase(
    "duplicate-key",
    "A key given twice",
    sub(L, "    obtained: sent\n", "    obtained: sent\n    obtained: website\n"),
    ["larvik.yaml:13", "duplicate key 'obtained' (first on line 12)"],
)
ycase(
    "alias-bomb",
    "Nested YAML aliases (billion laughs)",
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    ["larvik.yaml:1", "anchors and aliases", "not allowed"],
)
ycase(
    "deeply-nested",
    "A document nested 5000 levels deep",
    "note: " + "[" * 5000 + "]" * 5000 + "\n",
    ["larvik.yaml", "YAML nested too deeply"],
)
ycase("complex-key", "A mapping used as a key", "? [a, b]\n: c\n", ["larvik.yaml:1", "a key must be plain text"])
ycase(
    "study-unknown-coder",
    "The default coder is not listed",
    sub(S, "coder: tester", "coder: nobody"),
    ["study.yaml:13", "coder", "default coder 'nobody' is not listed"],
    dest=SY,
)
# ---------- link provenance (issue 10) ----------
LINK = "          - guidance: meld-st-27/brukeren-i-sentrum\n            how: thematic\n"
ycase(
    "link-coded-no-coder",
    "A coded link with no coder anywhere (no default coder in study.yaml)",
    sub(S, "coder: tester\n", ""),
    ["larvik.yaml:20", "reflects[0].coder", "a 'coded' link needs a coder"],
    dest=SY,
)
ycase(
    "link-stated-no-citation",
    "A link stated by the source with no citation",
    sub(L, LINK, LINK + "            basis: stated\n"),
    ["larvik.yaml:20", "reflects[0].cited", "a 'stated' link needs 'cited'"],
)
ycase(
    "link-suggested-no-score",
    "A suggested link with a method but no score",
    sub(L, LINK, LINK + "            basis: suggested\n            method: reuse-shingles\n"),
    ["larvik.yaml:20", "reflects[0].score", "a 'suggested' link needs 'score'"],
)
ycase(
    "link-placeholder-date",
    "A link coded on the last day of a year, a placeholder",
    sub(L, LINK, LINK + "            coded: 2021-12-31\n"),
    ["larvik.yaml:22", "reflects[0].coded", "looks like a placeholder"],
)
ycase(
    "link-future-date",
    "A link coded in the future",
    sub(L, LINK, LINK + "            coded: 2999-06-15\n"),
    ["larvik.yaml:22", "reflects[0].coded", "is in the future"],
)
ycase(
    "link-year-date",
    "A coding date given as a year",
    sub(L, LINK, LINK + "            coded: 2021\n"),
    ["larvik.yaml:22", "reflects[0].coded", "is not of type string"],
)
ycase(
    "link-duplicate",
    "The same item twice by the same coder",
    sub(L, LINK, LINK + LINK),
    ["larvik.yaml:22", "reflects[1].guidance", "repeats reflects[0] with the same basis and coder"],
)
ycase(
    "link-unknown-coder",
    "A link coded by a coder who is not listed",
    sub(L, LINK, LINK + "            coder: someone\n"),
    ["larvik.yaml:22", "reflects[0].coder", "unknown coder 'someone'"],
)
# ---------- the findings rules (issue 22) ----------
ycase(
    "link-stated-no-cited-text",
    "A stated link that names the section but not the source's words that make the tie",
    sub(L, LINK, LINK + '            basis: stated\n            cited: "4.3.3"\n'),
    ["larvik.yaml:20", "reflects[0].cited_text", "a 'stated' link needs 'cited_text'"],
)
ycase(
    "finding-same-passage",
    "Two findings of one document with the same passage (a restatement not merged)",
    sub(
        L,
        '        source: "4.3.3"\n  - id: mini-larvik-samfunnsdel\n',
        '        source: "4.3.3"\n'
        "      - id: mini-larvik-visjon-again\n        evidence: quote\n        text: «Brukeren i sentrum»\n"
        '        reflects: []\n        elements: [public-e-services]\n        source: "5.8"\n'
        "  - id: mini-larvik-samfunnsdel\n",
    ),
    ["larvik.yaml:26", "findings[1].text", "same passage as 'mini-larvik-visjon'", "one passage, one finding"],
)
ycase(
    "element-present-and-absent",
    "An eGovWSF element both present and absent on one document",
    sub(
        L,
        "        elements: [public-e-services]\n",
        "        elements: [public-e-services]\n        absent_elements: [public-e-services]\n",
    ),
    ["larvik.yaml:23", "absent_elements", "'public-e-services' is present", "not both"],
)
ycase(
    "study-placeholder-date",
    "The study's default coding date is a placeholder",
    sub(S, "coded: 2021-05-31", "coded: 2021-12-31"),
    ["study.yaml:14", "coded", "looks like a placeholder"],
    dest=SY,
)
ycase(
    "study-coder-twice",
    "One coder listed under two ids",
    sub(S, "    name: Test Koder\n", "    name: Test Koder\n  - id: tester-2\n    name: test  koder\n"),
    ["study.yaml:18", "coders[1].id", "same name as coder 'tester'"],
    dest=SY,
)
ALT = "    alternatives:\n      - id: strategi-as-programme\n        field: {field}\n        value: {value}\n"
ALT += '        reason: The thesis calls it a method.\n        source: "4.3.3"\n'
ycase(
    "alternative-changes-nothing",
    "An alternative reading with the value the field already has",
    sub(
        L,
        '    source: "4.3.3"\n    findings:\n',
        ALT.format(field="plan_level", value="sector-strategy") + '    source: "4.3.3"\n    findings:\n',
    ),
    ["larvik.yaml:16", "alternatives[0].value", "alternative changes nothing"],
)
ycase(
    "alternative-unknown-field",
    "An alternative reading of a field a document does not have",
    sub(
        L,
        '    source: "4.3.3"\n    findings:\n',
        ALT.format(field="colour", value="red") + '    source: "4.3.3"\n    findings:\n',
    ),
    ["larvik.yaml:15", "alternatives[0].field", "alternative names unknown field 'colour'"],
)
ycase(
    "alternative-bad-value",
    "An alternative reading with a value outside the vocabulary",
    sub(
        L,
        '    source: "4.3.3"\n    findings:\n',
        ALT.format(field="plan_level", value="manifesto") + '    source: "4.3.3"\n    findings:\n',
    ),
    ["larvik.yaml:16", "alternatives[0].value", "not a valid plan_level"],
)
ycase(
    "study-bad-county",
    "A sample county that does not exist",
    sub(S, 'counties: ["38"]', 'counties: ["99"]'),
    ["study.yaml:8", "sample.counties[0]", "unknown county number '99'"],
    dest=SY,
)
ycase(
    "study-response-unknown",
    "A response from an unknown municipality",
    sub(S, "  - municipality: tonsberg", "  - municipality: tunsberg"),
    ["study.yaml:22", "responses[1].municipality", "unknown municipality 'tunsberg'"],
    dest=SY,
)
case("yaml-study-missing", "A study folder without study.yaml", B, ["study.yaml", "file not found"], remove=[SY])
case(
    "yaml-enormous",
    "A file over the input size limit (padded to 2 MB by the test)",
    B,
    ["larvik.yaml", "over the input limit", "PLANGRAF_MAX_INPUT_MB"],
    files={"larvik.yaml": (LY, L)},
    env={"PLANGRAF_MAX_INPUT_MB": "1"},
)

_p = OUT / "yaml-enormous" / "case.yaml"
_d = _y.safe_load(_p.read_text())
_d["grow"] = {LY: 2000000}
_p.write_text(_y.safe_dump(_d, allow_unicode=True, sort_keys=False))


# ---------- CSV ----------
def ccase(n, desc, new, expect):
    case(f"csv-{n}", desc, B, expect, files={"coding.csv": (CY, new)})


ccase(
    "unknown-column",
    "A column the format does not have",
    sub(C, "coder,coded", "coder,coded_on"),
    ["coding.csv:1", "unknown column 'coded_on'"],
)
ccase(
    "missing-column",
    "The elements column is missing",
    C.replace(",internal-stakeholders,4.3.10", ",4.3.10")
    .replace(",information;laws-and-regulations,4.3.10", ",4.3.10")
    .replace("how,elements,source", "how,source"),
    ["coding.csv:1", "missing column(s) elements"],
)
ccase(
    "bad-how",
    "A relation outside the vocabulary",
    sub(C, "thematic,internal-stakeholders", "thematically,internal-stakeholders"),
    ["coding.csv:2", "how", "'thematically' is not allowed"],
)
ccase(
    "unknown-guidance",
    "A guidance id that does not exist",
    sub(C, "ks-digitaliseringsstrategi/digital-kompetanse-deltakelse", "ks/ukjent"),
    ["coding.csv:3", "guidance", "unknown guidance id 'ks/ukjent'"],
)
ccase(
    "impossible-date",
    "30 February as coding date",
    sub(C, ",tester,2021-06-01", ",tester,2021-02-30"),
    ["coding.csv:4", "coded", "not a real date"],
)
ccase(
    "unknown-document",
    "A finding for a document no YAML file declares",
    sub(
        C,
        "tonsberg,mini-tonsberg-utkast,mini-tonsberg-personvern",
        "tonsberg,mini-tonsberg-strategi,mini-tonsberg-personvern",
    ),
    ["coding.csv:4", "document", "unknown document id 'mini-tonsberg-strategi'"],
)
ccase(
    "wrong-owner",
    "A row whose municipality does not own the document",
    sub(
        C,
        "tonsberg,mini-tonsberg-utkast,mini-tonsberg-personvern",
        "larvik,mini-tonsberg-utkast,mini-tonsberg-personvern",
    ),
    ["coding.csv:4", "municipality", "belongs to tonsberg, not larvik"],
)
ccase(
    "duplicate-finding-id",
    "A CSV finding id already used in YAML",
    sub(C, "mini-tonsberg-personvern,quote", "mini-larvik-visjon,quote"),
    ["coding.csv:4", "duplicate finding id 'mini-larvik-visjon'"],
)
ccase(
    "repeat-other-text",
    "One finding id with two different texts",
    sub(C, "summary,Strategien vektlegger digital kompetanse.,,ks-", "summary,Strategien vektlegger kompetanse.,,ks-"),
    ["coding.csv:3", "finding", "repeats with another text"],
)
ccase(
    "extra-cells",
    "A row with more cells than the header",
    sub(C, "tester,2021-06-01", "tester,2021-06-01,extra"),
    ["coding.csv:4", "more cells than header columns"],
)
ccase(
    "bad-evidence",
    "evidence neither quote nor summary",
    sub(C, "mini-tonsberg-personvern,quote", "mini-tonsberg-personvern,citat"),
    ["coding.csv:4", "evidence", "'citat' is not allowed"],
)
ccase(
    "no-elements",
    "A row with an empty elements cell",
    sub(C, "information;laws-and-regulations", ""),
    ["coding.csv:4", "elements", "should be non-empty"],
)
case(
    "csv-latin1",
    "A coding sheet saved as Latin-1",
    B,
    ["coding.csv:4", "not valid UTF-8"],
    files={
        "coding.csv": (
            CY,
            sub(C, "Personvern skal ivaretas.", "Personvern skal ivaretas på Tønsberg.").encode("latin-1"),
        )
    },
)
ccase("empty", "An empty coding sheet", "", ["coding.csv:1", "file is empty"])
ccase(
    "unclosed-quote",
    "A quoted cell that never closes",
    sub(C, "Personvern skal ivaretas.", '"Personvern skal ivaretas.'),
    ["coding.csv:4", "CSV syntax error"],
)
# ---------- RDF ----------
RD = "data/reference/"
coop = (ROOT / "data/reference/cooperations.ttl").read_text()


def rcase(n, desc, fname, content, expect, env=None):
    case(f"rdf-{n}", desc, B, expect, files={fname: (RD + fname, content)}, env=env)


rcase(
    "turtle-syntax",
    "A triple without an object",
    "extra.ttl",
    "<urn:a> <urn:b> .\n",
    ["extra.ttl:1", "turtle syntax error"],
)
rcase(
    "turtle-unknown-prefix",
    "An undeclared prefix",
    "extra.ttl",
    "@prefix pg: <https://w3id.org/plangraf/ontology#> .\n\nfoo:x pg:owner foo:y .\n",
    ["extra.ttl:3", "unknown prefix 'foo:'"],
)
rcase(
    "turtle-undefined-term",
    "A pg: term the ontology does not define",
    "extra.ttl",
    "@prefix pg: <https://w3id.org/plangraf/ontology#> .\n\n<urn:x>\n  pg:ownr <urn:y> .\n",
    ["extra.ttl:4", "undefined term pg:ownr"],
)
rcase(
    "turtle-undefined-class",
    "A pg: class the ontology does not define",
    "extra.ttl",
    "@prefix pg: <https://w3id.org/plangraf/ontology#> .\n<urn:x> a pg:Kommune .\n",
    ["extra.ttl:2", "undefined term pg:Kommune"],
)
case(
    "rdf-turtle-latin1",
    "A Turtle file saved as Latin-1",
    B,
    ["extra.ttl:2", "not valid UTF-8"],
    files={
        "extra.ttl": (
            RD + "extra.ttl",
            '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x> skos:prefLabel "Tønsberg"@nb .\n'.encode(
                "latin-1"
            ),
        )
    },
)
rcase(
    "turtle-broken-existing",
    "A reference file cut off in the middle",
    "cooperations.ttl",
    coop[: len(coop) // 2].rsplit("\n", 3)[0] + '\n    skos:prefLabel "',
    ["cooperations.ttl", "turtle syntax error"],
)
rcase(
    "jsonld-invalid-json",
    "JSON-LD that is not JSON",
    "extra.jsonld",
    '{"@id": "urn:x", "urn:p": }\n',
    ["extra.jsonld:1", "json-ld syntax error"],
)
rcase(
    "jsonld-remote-context",
    "JSON-LD with a remote @context",
    "extra.jsonld",
    '{"@context": "https://schema.org/", "@id": "urn:x", "name": "x"}\n',
    ["extra.jsonld", "@context", "remote @context"],
)
rcase(
    "jsonld-remote-context-list",
    "JSON-LD with a remote context inside a list",
    "extra.jsonld",
    '{"@context": [{"ex": "urn:ex:"}, "https://w3id.org/example/context.jsonld"], "@id": "urn:x"}\n',
    ["extra.jsonld", "remote @context"],
)
rcase(
    "jsonld-deep",
    "JSON-LD nested 100000 levels",
    "extra.jsonld",
    "[" * 100000 + "]" * 100000,
    ["extra.jsonld", "nested too deeply"],
)
rcase(
    "rdfxml-malformed",
    "RDF/XML that is not well-formed",
    "extra.rdf",
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="urn:x">\n</rdf:RDF>\n',
    ["extra.rdf:4", "xml syntax error"],
)
rcase(
    "rdfxml-external-entity",
    "RDF/XML that tries to read /etc/passwd (XXE)",
    "extra.rdf",
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n<rdf:Description rdf:about="urn:x"><ex:p>&secret;</ex:p></rdf:Description>\n</rdf:RDF>\n',
    ["extra.rdf", "entity declarations is refused"],
)
rcase(
    "rdfxml-entity-bomb",
    "RDF/XML with an entity-expansion bomb",
    "extra.rdf",
    '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">\n<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">\n<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n<rdf:Description rdf:about="urn:x"><ex:p>&g;</ex:p></rdf:Description>\n</rdf:RDF>\n',
    ["extra.rdf", "entity declarations is refused"],
)
rcase(
    "ntriples-syntax",
    "N-Triples with a bare literal",
    "extra.nt",
    "<urn:a> <urn:b> hello .\n",
    ["extra.nt", "nt syntax error"],
)
rcase(
    "enormous",
    "A reference file over the size limit (padded to 2 MB by the test)",
    "extra.ttl",
    '<urn:a> <urn:b> "x" .\n',
    ["extra.ttl", "over the input limit"],
    env={"PLANGRAF_MAX_INPUT_MB": "1"},
)
_p = OUT / "rdf-enormous" / "case.yaml"
_d = _y.safe_load(_p.read_text())
_d["grow"] = {RD + "extra.ttl": 2000000}
_p.write_text(_y.safe_dump(_d, allow_unicode=True, sort_keys=False))
case(
    "rdf-ontology-syntax",
    "The ontology itself broken",
    B,
    ["plangraf.ttl", "turtle syntax error"],
    files={
        "plangraf.ttl": (
            "ontology/plangraf.ttl",
            "@prefix pg: <https://w3id.org/plangraf/ontology#> .\npg:Municipality a .\n",
        )
    },
)
# ---------- SHACL shapes ----------
SH = "ontology/shapes/"


def scase(n, desc, content, expect):
    case(f"shapes-{n}", desc, ["validate"], expect, files={"extra.ttl": (SH + "extra.ttl", content)})


scase(
    "syntax",
    "A shapes file with a syntax error",
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ;\n",
    ["extra.ttl", "turtle syntax error"],
)
scase(
    "unknown-prefix",
    "A shapes file with an undeclared prefix",
    "<urn:s> a sh:NodeShape .\n",
    ["extra.ttl:1", "unknown prefix 'sh:'"],
)
scase(
    "bad-mincount",
    "sh:minCount that is not an integer",
    '@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix pg: <https://w3id.org/plangraf/ontology#> .\n<urn:s> a sh:NodeShape ; sh:targetClass pg:Finding ;\n  sh:property [ sh:path pg:location ; sh:minCount "one" ] .\n',
    ["shapes", "SHACL shapes cannot be used", "minCount"],
)
scase(
    "two-paths",
    "A property shape with two paths",
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix pg: <https://w3id.org/plangraf/ontology#> .\n<urn:s> a sh:NodeShape ; sh:targetClass pg:Finding ;\n  sh:property [ sh:path pg:location , pg:summary ; sh:minCount 1 ] .\n",
    ["shapes", "SHACL shapes cannot be used"],
)
scase(
    "bad-sparql",
    "A SPARQL constraint with a syntax error",
    '@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix pg: <https://w3id.org/plangraf/ontology#> .\n<urn:s> a sh:NodeShape ; sh:targetClass pg:Finding ;\n  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p }" ] .\n',
    ["shapes", "SHACL shapes cannot be used"],
)
scase(
    "sparql-minus",
    "A SPARQL constraint with MINUS (SHACL forbids it with pre-bound $this)",
    '@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix pg: <https://w3id.org/plangraf/ontology#> .\n<urn:s> a sh:NodeShape ; sh:targetClass pg:Finding ;\n  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this pg:summary ?s } }" ] .\n',
    ["shapes", "SHACL shapes cannot be used", "MINUS"],
)
case("shapes-none", "A shapes folder with no shapes", ["validate", "--shapes", "{case}"], ["no shapes (*.ttl) found"])
# ---------- queries ----------
Q = "queries/"


def qcase(n, desc, content, expect, args=None):
    case(f"query-{n}", desc, ["query", "extra"] + (args or []), expect, files={"extra.rq": (Q + "extra.rq", content)})


qcase(
    "syntax",
    "A query with a syntax error",
    "#+ summary: broken\nSELECT * WHERE { ?s ?p }\n",
    ["extra.rq", "SPARQL syntax error"],
)
qcase(
    "service",
    "A query with SERVICE",
    "#+ summary: remote\nSELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n",
    ["extra.rq", "SERVICE", "--allow-network"],
)
qcase(
    "from",
    "A query with FROM <url>",
    "#+ summary: remote dataset\nSELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }\n",
    ["extra.rq", "FROM", "--allow-network"],
)
qcase("load", "A SPARQL Update LOAD", "LOAD <http://example.org/data.ttl>\n", ["extra.rq", "LOAD", "--allow-network"])
qcase(
    "construct",
    "A CONSTRUCT query",
    "#+ summary: not a table\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
    ["extra.rq", "only SELECT queries are supported here, not CONSTRUCT"],
)
qcase(
    "bad-header",
    "A #+ header that is not YAML",
    "#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n",
    ["extra.rq", "bad #+ metadata header"],
)
qcase(
    "bad-param-type",
    "A parameter of an unknown type",
    "#+ summary: x\n#+ params:\n#+   - name: when\n#+     type: datetime\nSELECT * WHERE { ?s ?p ?o }\n",
    ["extra.rq", "params", "parameter type 'datetime' unknown"],
)
case(
    "query-latin1",
    "A query file saved as Latin-1",
    ["query", "extra"],
    ["extra.rq", "not valid UTF-8"],
    files={"extra.rq": (Q + "extra.rq", "#+ summary: Tønsberg\nSELECT * WHERE { ?s ?p ?o }\n".encode("latin-1"))},
)


# ---------- CLI ----------
def clicase(n, desc, args, expect):
    case(f"cli-{n}", desc, args, expect)


clicase("unknown-command", "A command that does not exist", ["bild"], ["No such command 'bild'"])
clicase(
    "unknown-format",
    "An export format that does not exist",
    ["export", "--format", "xml"],
    ["--format", "'xml' is not one of"],
)
clicase(
    "unknown-query",
    "A query name that does not exist",
    ["query", "reflected-guidanse"],
    ["no shipped query named 'reflected-guidanse'"],
)
clicase(
    "param-no-equals",
    "--param without name=value",
    ["query", "strategy-status", "-p", "2020-09-01"],
    ["--param", "'2020-09-01' is not name=value"],
)
clicase(
    "param-unknown",
    "A parameter the query does not have",
    ["query", "strategy-status", "-p", "colour=red"],
    ["--param", "unknown parameter 'colour' for query strategy-status; allowed: date"],
)
clicase(
    "param-bad-date",
    "A date parameter that is not a date",
    ["query", "strategy-status", "-p", "date=1. september 2020"],
    ["--param date", "is not a date"],
)
clicase(
    "param-bad-integer",
    "An integer parameter that is not an integer",
    ["query", "sample-frame", "-p", "threshold=25 000"],
    ["--param threshold", "is not an integer"],
)
clicase("data-missing", "--data pointing nowhere", ["build", "--data", "{project}/nowhere"], ["study folder not found"])
clicase(
    "export-out-is-dir",
    "--out pointing to a folder",
    ["export", "--out", "{project}/data"],
    ["--out", "is a directory"],
)
clicase(
    "new-municipality-unknown",
    "Scaffolding an unknown municipality",
    ["new-municipality", "Atlantis", "--data", "{project}/data/study-2020"],
    ["no municipality named 'Atlantis'"],
)
clicase(
    "new-municipality-exists",
    "Scaffolding over an existing file",
    ["new-municipality", "Larvik", "--data", "{project}/data/study-2020"],
    ["larvik.yaml", "file exists; use --force"],
)
clicase(
    "new-municipality-no-study",
    "Scaffolding with no study named and none in the current folder",
    ["new-municipality", "Larvik"],
    ["no study here"],
)
clicase(
    "root-missing", "--root that does not exist", ["--root", "{project}/nowhere", "build"], ["--root", "does not exist"]
)
print(len(list(OUT.iterdir())))
