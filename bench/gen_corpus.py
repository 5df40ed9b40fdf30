#!/usr/bin/env python3
"""Deterministic synthetic Arabic news corpus for arshif's benchmark.

Usage:
    bench/gen_corpus.py -n 1000 --format plain|hugo --out DIR [--seed 20240917] [--stats]

Writes DIR/content/<year>/article-<n>.md (n = 1..N). The same N and seed give
byte-identical files on every run and every machine (Python >= 3.8), and article
k is the same whatever N is (k <= N): each article has its own RNG.

Text comes from one Arabic news article, raw-article.ar.txt beside this script:
its sentences and a word-bigram Markov chain over its words are recombined into
a pool of sentences.

Formats (the articles are the same in both; only front matter differs):
  plain  arshif's front matter: title, date (ISO 8601, +03:00), author, source,
         tags (list), slug, summary (about 30% of articles). Also writes
         DIR/site.yaml, so DIR is a complete arshif site.
  hugo   title, date, slug, description (= summary), and the taxonomies
         tags, authors, sources, months ("YYYY-MM") as top-level lists;
         year archives are Hugo sections (content/<year>/), no _index.md needed.
         The taxonomy config itself lives in bench/hugo-site/hugo.toml.

The article files are byte-identical to those of the corpus generator the
project's peer figures were measured with.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_TEXT = os.path.join(HERE, "raw-article.ar.txt")

# site.yaml of the plain (arshif) corpus. Hugo makes no search index, so
# neither does arshif here: bench/search.sh measures what search costs.
SITE_YAML = """title: أرشيف
base_url: https://example.org/
timezone: "+03:00"
per_page: 20
search: false
"""

# Lines of the sample that are page furniture, not article text.
JUNK_LINES = {"[إعلان 2]", "رابط المصدر", "تعليق (0)"}

FIRST_NAMES = [
    "محمد", "أحمد", "محمود", "علي", "حسن", "حسين", "خالد", "عمر", "يوسف", "إبراهيم",
    "عبد الله", "عبد الرحمن", "سامي", "طارق", "كريم", "ماجد", "نبيل", "هشام", "وليد", "زياد",
    "فاطمة", "مريم", "نور", "سارة", "ليلى", "هدى", "رانيا", "دينا", "منى", "سلمى",
    "ياسمين", "رنا", "هالة", "إيمان", "نادية", "سعاد", "لبنى", "أمل", "جميلة", "ريم",
]
FAMILY_NAMES = [
    "الخطيب", "المصري", "العلي", "الحسيني", "الشامي", "البغدادي", "التونسي", "المغربي",
    "الحلبي", "الدمشقي", "القاسم", "النجار", "الحداد", "الصباغ", "العطار", "الخياط",
    "منصور", "عثمان", "سليمان", "يعقوب", "حمدان", "شاهين", "درويش", "عيسى", "موسى",
    "الزين", "السيد", "عبد الحميد", "الجبوري", "الكبيسي", "الأنصاري", "الهاشمي",
    "الراشد", "الفارس", "السعدي", "الشمري", "العمري", "بن علي", "بوزيد", "العلوي",
]
SOURCES = [
    "رويترز", "وكالة فرانس برس", "أسوشيتد برس", "وكالة الأنباء الألمانية", "بي بي سي عربي",
    "الجزيرة نت", "سكاي نيوز عربية", "العربية نت", "وكالة الأناضول", "وكالة الأنباء السعودية",
    "وكالة أنباء الإمارات", "وكالة الأنباء القطرية", "وكالة أنباء الشرق الأوسط",
    "وكالة الأنباء الكويتية", "وكالة المغرب العربي للأنباء", "وكالة الأنباء الجزائرية",
    "وكالة تونس أفريقيا للأنباء", "وكالة الأنباء الأردنية", "الوكالة الوطنية للإعلام",
    "وكالة سبوتنيك", "وكالة شينخوا", "وكالة كيودو", "بلومبرغ", "فايننشال تايمز",
    "نيويورك تايمز", "واشنطن بوست", "الشرق الأوسط", "الأهرام", "النهار", "القدس العربي",
]
COUNTRIES = [
    "مصر", "السعودية", "الإمارات", "قطر", "الكويت", "البحرين", "عمان", "اليمن", "العراق",
    "سوريا", "لبنان", "الأردن", "فلسطين", "ليبيا", "تونس", "الجزائر", "المغرب", "موريتانيا",
    "السودان", "الصومال", "جيبوتي", "إيران", "تركيا", "إسرائيل", "روسيا", "الصين", "الهند",
    "باكستان", "أفغانستان", "اليابان", "كوريا الجنوبية", "كوريا الشمالية", "الولايات المتحدة",
    "كندا", "المكسيك", "البرازيل", "الأرجنتين", "فرنسا", "ألمانيا", "بريطانيا", "إيطاليا",
    "إسبانيا", "أوكرانيا", "بولندا", "إثيوبيا", "نيجيريا", "جنوب أفريقيا", "كينيا",
    "إندونيسيا", "ماليزيا",
]
TOPICS = [
    "اقتصاد", "سياسة", "انتخابات", "نفط", "غاز", "طاقة", "تجارة", "استثمار", "بورصة", "عملات",
    "تضخم", "بطالة", "تعليم", "صحة", "لقاحات", "أوبئة", "مناخ", "بيئة", "جفاف", "فيضانات",
    "زلازل", "لاجئون", "هجرة", "حقوق الإنسان", "قضاء", "فساد", "أمن", "إرهاب", "دفاع",
    "تسلح", "دبلوماسية", "قمة", "مفاوضات", "عقوبات", "حرب", "هدنة", "سلام", "ثقافة", "سينما",
    "رياضة", "كرة القدم", "تكنولوجيا", "ذكاء اصطناعي", "فضاء", "اتصالات", "سياحة", "زراعة",
    "مياه", "نقل", "إسكان",
]
ENTITIES = [
    "منتدى الحزام والطريق", "المحكمة الجنائية الدولية", "مجلس الأمن", "الأمم المتحدة",
    "الاتحاد الأوروبي", "جامعة الدول العربية", "حلف الناتو", "صندوق النقد الدولي",
    "البنك الدولي", "منظمة الصحة العالمية", "أوبك", "مجموعة العشرين", "الكرملين",
    "البيت الأبيض", "الألعاب الأولمبية", "كأس العالم", "فلاديمير بوتن", "شي جين بينج",
    "الاتحاد الأفريقي", "مجلس التعاون الخليجي",
]

MONTH_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
            "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]

TZ = timezone(timedelta(hours=3))
DATE_START = datetime(2005, 1, 1, 0, 0, 0, tzinfo=TZ)
DATE_END = datetime(2025, 12, 31, 23, 59, 59, tzinfo=TZ)
N_TAGS = 2000
ZIPF_S = 1.0
SENTENCE_POOL = 6000

# Arabic letters, marks and digits; not the Arabic comma/semicolon/question mark.
AR_WORD = re.compile(r"[\u0621-\u065F\u0660-\u0669\u0670-\u06D3\u06F0-\u06F90-9]+")


def find_seed_text(path):
    path = path or SEED_TEXT
    if not os.path.exists(path):
        sys.exit("seed text not found: %s (pass --seed-text)" % path)
    return path


def load_seed(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f.read().splitlines()]
    lines = [l for l in lines if l and l not in JUNK_LINES and not l.startswith("هوين لو")]
    text = " ".join(lines)
    text = text.replace('"', "").replace("(", "").replace(")", "")
    sentences = [s.strip() for s in re.split(r"(?<=[.!؟])\s+", text) if len(s.split()) >= 5]
    words = [w for w in AR_WORD.findall(text)]
    return sentences, words


def build_chain(words):
    chain = {}
    for a, b in zip(words, words[1:]):
        chain.setdefault(a, []).append(b)
    return chain


def markov_sentence(rng, chain, starts, n):
    w = rng.choice(starts)
    out = [w]
    while len(out) < n:
        nxt = chain.get(w)
        if not nxt or rng.random() < 0.12:  # random restart keeps it from copying the seed
            w = rng.choice(starts)
        else:
            w = rng.choice(nxt)
        out.append(w)
    # a comma now and then, like the sample
    if n > 10 and rng.random() < 0.5:
        k = rng.randrange(3, n - 3)
        out[k] = out[k] + "،"
    return " ".join(out)


def build_pools(seed, seed_path):
    rng = random.Random("pools-%d" % seed)
    sentences, words = load_seed(seed_path)
    chain = build_chain(words)
    starts = sorted(set(words))
    pool = []
    for i in range(SENTENCE_POOL):
        if rng.random() < 0.15:
            pool.append(rng.choice(sentences))
        else:
            pool.append(markov_sentence(rng, chain, starts, rng.randint(8, 24)) + ".")
    titles = [markov_sentence(rng, chain, starts, rng.randint(6, 12)) for _ in range(3000)]
    titles = [t.replace("،", "") for t in titles]

    names = sorted({f + " " + l for f in FIRST_NAMES for l in FAMILY_NAMES})
    rng.shuffle(names)
    authors = names[:200]

    singles = TOPICS + COUNTRIES + ENTITIES
    rng.shuffle(singles)
    combos = [t + " " + c for t in TOPICS for c in COUNTRIES]
    combos += [t + " " + e for t in TOPICS[:20] for e in ENTITIES]
    rng.shuffle(combos)
    tags = []
    seen = set()
    for t in singles + combos:
        if t not in seen:
            seen.add(t)
            tags.append(t)
        if len(tags) == N_TAGS:
            break
    cum = []
    acc = 0.0
    for r in range(len(tags)):
        acc += 1.0 / (r + 1) ** ZIPF_S
        cum.append(acc)
    return {
        "pool": pool, "titles": titles, "authors": authors, "tags": tags, "tag_cum": cum,
        "seed_sentences": sentences,
    }


def article_meta(seed, i, P, taken):
    """Metadata for article i (1-based); `taken` de-duplicates timestamps."""
    rng = random.Random("article-%d-%d" % (seed, i))
    span = int((DATE_END - DATE_START).total_seconds())
    secs = rng.randrange(span)
    while secs in taken:
        secs += 1
    taken.add(secs)
    date = DATE_START + timedelta(seconds=secs)
    title = rng.choice(P["titles"])  # 6-12 words
    k = rng.randint(2, 6)
    tags = []
    while len(tags) < k:
        t = rng.choices(P["tags"], cum_weights=P["tag_cum"])[0]
        if t not in tags:
            tags.append(t)
    meta = {
        "n": i,
        "slug": "article-%d" % i,
        "title": title,
        "date": date,
        "author": rng.choice(P["authors"]),
        "source": rng.choice(SOURCES),
        "tags": tags,
        "summary": None,
        "rng": rng,
    }
    if rng.random() < 0.3:
        meta["summary"] = rng.choice(P["pool"])
    return meta


def article_url(meta):
    return "/%d/%s/" % (meta["date"].year, meta["slug"])


def article_body(meta, P, metas):
    rng = meta["rng"]
    pool = P["pool"]
    target_words = rng.randint(400, 900)
    n_par = rng.randint(5, 15)
    per_par = target_words / n_par
    paragraphs = []
    for _ in range(n_par):
        sents, wc = [], 0
        while wc < per_par:
            s = rng.choice(pool)
            sents.append(s)
            wc += len(s.split())
        paragraphs.append(" ".join(sents))
    # About a quarter of the articles use more Markdown than plain paragraphs.
    if rng.random() < 0.25:
        if rng.random() < 0.7:
            k = rng.randrange(1, n_par)
            heading = " ".join(rng.choice(P["titles"]).split()[:rng.randint(3, 6)])
            paragraphs.insert(k, "## " + heading)
        if rng.random() < 0.6:
            k = rng.randrange(1, len(paragraphs))
            paragraphs.insert(k, "> " + rng.choice(P["seed_sentences"]))
        if rng.random() < 0.5:
            items = ["- " + " ".join(rng.choice(pool).rstrip(".").split()[:rng.randint(4, 9)])
                     for _ in range(rng.randint(3, 5))]
            paragraphs.insert(rng.randrange(1, len(paragraphs)), "\n".join(items))
        if rng.random() < 0.6:
            k = rng.randrange(len(paragraphs))
            if not paragraphs[k].startswith(("#", ">", "-")):
                link = "[%s](https://example.org/ar/news/%d)" % (
                    " ".join(rng.choice(pool).split()[:3]), rng.randrange(10**6))
                paragraphs[k] = paragraphs[k] + " " + link + "."
        if meta["n"] > 1 and rng.random() < 0.5:
            other = metas[rng.randrange(1, meta["n"])]  # an earlier article: exists for any N
            k = rng.randrange(len(paragraphs))
            if not paragraphs[k].startswith(("#", ">", "-")):
                paragraphs[k] += " اقرأ أيضا: [%s](%s)." % (other["title"], article_url(other))
        if rng.random() < 0.4:
            cap = " ".join(rng.choice(pool).split()[:5])
            paragraphs.insert(rng.randrange(1, len(paragraphs)),
                              "![%s](/images/photo-%d.jpg)" % (cap, rng.randrange(1, 500)))
    return "\n\n".join(paragraphs) + "\n"


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def front_matter(meta, fmt):
    d = meta["date"].isoformat()
    month = meta["date"].strftime("%Y-%m")
    lines = ["---", "title: " + q(meta["title"]), "date: " + d]
    if fmt == "plain":
        lines += ["author: " + q(meta["author"]), "source: " + q(meta["source"]),
                  "tags: " + qlist(meta["tags"]), "slug: " + meta["slug"]]
        if meta["summary"]:
            lines.append("summary: " + q(meta["summary"]))
    elif fmt == "hugo":
        lines.append("slug: " + meta["slug"])
        if meta["summary"]:
            lines.append("description: " + q(meta["summary"]))
        lines += ["tags: " + qlist(meta["tags"]), "authors: " + qlist([meta["author"]]),
                  "sources: " + qlist([meta["source"]]), "months: " + qlist([month])]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--count", type=int, required=True, help="number of articles")
    ap.add_argument("--format", choices=["plain", "hugo"], default="plain")
    ap.add_argument("--out", required=True, help="site root; articles go to OUT/content/")
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--seed-text", default=None, help="Arabic sample text to draw words from")
    ap.add_argument("--stats", action="store_true", help="print expected page counts as JSON")
    args = ap.parse_args()

    P = build_pools(args.seed, find_seed_text(args.seed_text))
    content = os.path.join(args.out, "content")
    if os.path.exists(content):
        shutil.rmtree(content)
    os.makedirs(content)

    taken = set()
    metas = [None]
    years = set()
    for i in range(1, args.count + 1):
        meta = article_meta(args.seed, i, P, taken)
        metas.append(meta)
        year = meta["date"].year
        d = os.path.join(content, str(year))
        if year not in years:
            years.add(year)
            os.makedirs(d, exist_ok=True)
        body = article_body(meta, P, metas)
        del meta["rng"]
        with open(os.path.join(d, meta["slug"] + ".md"), "w", encoding="utf-8") as f:
            f.write(front_matter(meta, args.format))
            f.write(body)
    if args.format == "plain":
        with open(os.path.join(args.out, "site.yaml"), "w", encoding="utf-8") as f:
            f.write(SITE_YAML)

    if args.stats:
        print(json.dumps(expected_counts(metas[1:]), ensure_ascii=False))


def pages(n, per=20):
    return max(1, -(-n // per))


def expected_counts(metas):
    """HTML pages a site with the bench's page set must produce (20 per page)."""
    from collections import Counter
    tags, authors, sources, months, years = Counter(), Counter(), Counter(), Counter(), Counter()
    for m in metas:
        tags.update(m["tags"])
        authors[m["author"]] += 1
        sources[m["source"]] += 1
        months[m["date"].strftime("%Y-%m")] += 1
        years[m["date"].year] += 1
    out = {"articles": len(metas), "home_pages": pages(len(metas))}
    for name, c in [("tags", tags), ("authors", authors), ("sources", sources),
                    ("months", months), ("years", years)]:
        out[name + "_terms"] = len(c)
        out[name + "_pages"] = sum(pages(v) for v in c.values())
    out["top_tag_articles"] = tags.most_common(1)[0][1] if tags else 0
    out["tag_assignments"] = sum(tags.values())
    return out


if __name__ == "__main__":
    main()
