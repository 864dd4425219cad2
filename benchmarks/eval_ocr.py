"""OCR quality and speed per engine: character error rate against the known text, and pages/s.

    .venv/bin/python benchmarks/eval_ocr.py [--quick] [--engines tesseract,rapidocr] [--threads 1]
        [--pages 12] [--dpi 300,150] [--no-japanese] [--save-images DIR]

Pages: ``--pages`` pages of the generated corpus (``analysis.samples``), cycling through the
legal and clinical kinds (first pages, then second pages), rendered by PDFium at each ``--dpi``,
clean and degraded like a scan or fax (``analysis.samples.scan``: turned up to 2 degrees, blurred,
grey noise and specks, JPEG at quality 40-60); then three Japanese pages (a services contract, a
discharge summary and a confidentiality agreement written for this benchmark, set in Noto Sans
CJK JP by fpdf2) at 300 dpi, clean and degraded. The known text is each page's own text layer
(what PDFium reads from the text PDF, running footer included).

Engines: the project's own (``analysis.ingest.ocr``): Tesseract with ``eng`` (``jpn`` on the
Japanese pages) and RapidOCR as shipped. Since the first measurements (benchmarks/README.md) both
engines read each page turned level (``level_page``), and RapidOCR reads it binarised and without
its text-angle classifier: the variants below were the settings tried before that.

Scores, per engine and condition, pooled over the pages (total edits / total reference characters):

- CER: Levenshtein distance over the reference length after both texts are put in NFKC form,
  fill-in lines (runs of three or more underscores: "By: ______") are dropped, and every run
  of whitespace (spaces, tabs, line breaks, blank lines) is collapsed to one space, none at
  either end. A dropped or an extra space counts one error; so does a curly quote read for a
  straight one.
- CER without spaces: the same with all whitespace removed, so words run together (RapidOCR's
  habit with Latin text) cost nothing. The only score used for Japanese, which has no spaces.

Speed: pages/s over the engine's ``read`` calls alone (rendering and degrading are not timed).
Tesseract's OpenMP threads are capped by ``OMP_THREAD_LIMIT`` (set from ``--threads`` for the
``tesseract`` processes); RapidOCR gets ``--threads`` ONNX Runtime intra-op threads.

``--engines`` also takes the settings tried against the misses (``ENGINES``): Tesseract
``--psm 6`` (one uniform block) and ``--psm 4`` (one column); RapidOCR without its text-angle
classifier (``use_cls=False``), with a lower ``text_score``, with a larger detection input; either
on binarised pages. ``--quick`` (4 pages at 300 dpi and one Japanese page) takes a few minutes.
Prints a table and writes JSON to benchmarks/results/eval_ocr.json.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _results import print_rows, save
from fpdf import FPDF
from PIL import Image

from analysis.ingest.ocr import OcrEngine, OcrText, RapidOcrEngine, TesseractEngine, skew_angle
from analysis.samples import KINDS, make_document
from analysis.samples.generate import FIXED_DATE, render_pdf
from analysis.samples.scan import levenshtein, normalise_for_cer, page_images, page_texts

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
TARGETS = {"clean": 0.02, "degraded": 0.05}  # CER at 300 dpi, from issue 13

JAPANESE = {
    "contract": (
        "業務委託契約書\n\n"
        "株式会社青葉商事（以下「甲」という。）と株式会社みなと技研（以下「乙」という。）は、甲が乙に委託する"
        "業務について、次のとおり契約を締結する。\n\n"
        "第１条（目的）本契約は、甲が乙に対し、甲の販売管理システムの保守及び運用支援業務（以下「本業務」と"
        "いう。）を委託し、乙がこれを受託することを目的とする。\n\n"
        "第２条（委託料）甲は乙に対し、本業務の対価として月額金四十五万円（消費税別）を、毎月末日までに乙の"
        "指定する銀行口座に振り込む方法により支払う。振込手数料は甲の負担とする。\n\n"
        "第３条（秘密保持）甲及び乙は、本契約に関して知り得た相手方の技術上又は営業上の情報を、相手方の書面に"
        "よる承諾なく第三者に開示し、又は本契約の目的以外に使用してはならない。\n\n"
        "第４条（契約期間）本契約の有効期間は、令和七年四月一日から令和八年三月三十一日までとする。ただし、"
        "期間満了の一か月前までにいずれの当事者からも書面による申出がないときは、同一の条件で一年間更新される。\n\n"
        "第５条（解除）甲又は乙は、相手方が本契約に違反し、相当の期間を定めて催告したにもかかわらず是正されない"
        "ときは、本契約の全部又は一部を解除することができる。"
    ),
    "discharge": (
        "退院時サマリー\n\n"
        "患者氏名：山田花子　性別：女性　年齢：六十八歳\n"
        "入院日：令和七年二月三日　退院日：令和七年二月十四日\n"
        "診療科：循環器内科　主治医：佐藤一郎\n\n"
        "入院時診断：うっ血性心不全の急性増悪\n\n"
        "現病歴：高血圧症及び二型糖尿病で当院外来通院中。入院の一週間前より労作時の息切れと両下肢のむくみが"
        "出現し、夜間に起座呼吸を認めたため救急外来を受診した。胸部エックス線写真で両側の胸水と肺うっ血を認め、"
        "同日入院となった。\n\n"
        "入院後経過：酸素投与及び利尿薬の静脈内投与を開始し、第三病日には症状が改善した。心臓超音波検査では"
        "左室駆出率は四十パーセントであった。塩分制限の食事指導を行い、内服薬を調整した。\n\n"
        "退院時処方：フロセミド錠二十ミリグラム一日一回朝食後、エナラプリル錠五ミリグラム一日一回。\n\n"
        "今後の方針：二週間後に外来で血液検査及び体重の確認を行う。体重が三日間で二キログラム以上増加した"
        "場合は速やかに受診するよう指導した。"
    ),
    "nda": (
        "秘密保持契約書\n\n"
        "東都メディカル株式会社（以下「開示者」という。）と北星データ合同会社（以下「受領者」という。）は、"
        "共同研究の検討のために開示される秘密情報の取扱いについて、以下のとおり合意する。\n\n"
        "第１条（定義）本契約において秘密情報とは、開示者が受領者に対し書面、電磁的記録その他の方法により"
        "開示した技術情報、患者の診療情報を匿名化したデータ及び営業上の情報をいう。\n\n"
        "第２条（秘密保持義務）受領者は、秘密情報を善良な管理者の注意をもって管理し、開示者の事前の書面による"
        "承諾なく、第三者に開示又は漏えいしてはならない。\n\n"
        "第３条（返還及び廃棄）受領者は、開示者から請求があったとき又は本契約が終了したときは、秘密情報を"
        "記録した媒体を速やかに返還し、又は廃棄しなければならない。\n\n"
        "第４条（有効期間）本契約は締結の日から三年間有効とする。ただし、第二条の義務は本契約の終了後も二年間"
        "存続する。\n\n"
        "第５条（管轄）本契約に関する紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"
    ),
}


@dataclass(frozen=True)
class Page:
    name: str  # kind, seed and page number
    language: str  # "eng" or "jpn"
    pdf: bytes
    index: int  # 0-based page of ``pdf``
    known_text: str


def corpus_pages(n: int) -> list[Page]:
    """``n`` pages of generated documents, kinds in turn: each kind's first page, then second pages."""
    pages = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        doc = make_document(kind, seed=7000 + i)
        pdf = render_pdf(doc)
        texts = page_texts(pdf)
        index = min(i // len(KINDS), len(texts) - 1)
        pages.append(Page(f"{kind}-{7000 + i}-p{index + 1}", "eng", pdf, index, texts[index]))
    return pages


def japanese_pages() -> list[Page]:
    pages = []
    for name, text in JAPANESE.items():
        pdf = FPDF(format="A4")
        pdf.set_creation_date(FIXED_DATE)
        pdf.add_font("NotoSansCJKjp", "", str(CJK_FONT), collection_font_number=0)  # face 0: Japanese
        pdf.set_margins(20, 20, 20)
        pdf.add_page()
        title, body = text.split("\n\n", 1)
        pdf.set_font("NotoSansCJKjp", "", 15)
        pdf.multi_cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("NotoSansCJKjp", "", 10.5)
        pdf.multi_cell(0, 6.5, body, new_x="LMARGIN", new_y="NEXT")
        data = bytes(pdf.output())
        pages.append(Page(f"ja-{name}", "jpn", data, 0, page_texts(data)[0]))
    return pages


class _TesseractConfig:
    """pytesseract with extra command-line options (``--psm 6``) for every call; the engine's own
    ``read`` is unchanged."""

    def __init__(self, module: Any, config: str) -> None:
        self._module, self._config = module, config

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def image_to_data(self, *args: Any, **kwargs: Any) -> Any:
        return self._module.image_to_data(*args, config=self._config, **kwargs)


class _Deskewed:
    """An engine reading each page turned level first (``skew_angle``); the turn is timed with it."""

    def __init__(self, engine: OcrEngine) -> None:
        self._engine, self.name = engine, engine.name

    def read(self, image: Any, *, timeout_s: float) -> OcrText:
        angle = skew_angle(image)
        if abs(angle) >= 0.1:
            image = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        return self._engine.read(image, timeout_s=timeout_s)


class _Binarised:
    """An engine reading each page binarised first (grey level 170 and up white)."""

    def __init__(self, engine: OcrEngine) -> None:
        self._engine, self.name = engine, engine.name

    def read(self, image: Any, *, timeout_s: float) -> OcrText:
        return self._engine.read(image.point(lambda v: 255 if v >= 170 else 0), timeout_s=timeout_s)


# Engine settings by label: the project's two engines as they are, then the settings tried against
# the misses (Tesseract's page segmentation mode; RapidOCR's angle classifier, score cut-off,
# detection input size, and binarised input).
TESSERACT_OPTIONS = {"tesseract": "", "tesseract-psm6": "--psm 6", "tesseract-psm4": "--psm 4"}
RAPIDOCR_OPTIONS: dict[str, dict[str, Any]] = {
    "rapidocr": {},
    "rapidocr-nocls": {"use_cls": False},
    "rapidocr-score0.3": {"text_score": 0.3},
    "rapidocr-nocls-det3000": {"use_cls": False, "max_side_len": 3000, "det_limit_side_len": 1500},
}
BINARISED = {"rapidocr-nocls-binarised": "rapidocr-nocls", "tesseract-binarised": "tesseract"}
DESKEWED = {
    "tesseract-deskew": "tesseract",
    "tesseract-psm6-deskew": "tesseract-psm6",
    "rapidocr-nocls-deskew": "rapidocr-nocls",
    "rapidocr-nocls-deskew-binarised": "rapidocr-nocls-binarised",  # turned level, then binarised
}
ENGINES = (*TESSERACT_OPTIONS, *RAPIDOCR_OPTIONS, *BINARISED, *DESKEWED)


def build_engine(label: str, language: str, threads: int) -> OcrEngine:
    """The engine a label names, for the pages of ``language`` (Tesseract's ``eng`` or ``jpn``)."""
    if label in BINARISED:
        return _Binarised(build_engine(BINARISED[label], language, threads))
    if label in DESKEWED:
        return _Deskewed(build_engine(DESKEWED[label], language, threads))
    if label in TESSERACT_OPTIONS:
        engine = TesseractEngine(language)
        if TESSERACT_OPTIONS[label]:
            engine._tesseract = _TesseractConfig(engine._tesseract, TESSERACT_OPTIONS[label])  # type: ignore[attr-defined]
        return engine
    engine = RapidOcrEngine(threads)  # one model for every language: PP-OCRv4's Chinese one reads kana and Latin
    if RAPIDOCR_OPTIONS[label]:
        from rapidocr_onnxruntime import RapidOCR

        engine._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, **RAPIDOCR_OPTIONS[label])  # type: ignore[attr-defined]
    return engine


def build_engines(labels: list[str], threads: int) -> dict[str, dict[str, OcrEngine]]:
    """label -> language -> engine."""
    unknown = [label for label in labels if label not in ENGINES]
    if unknown:
        raise SystemExit(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    return {label: {lang: build_engine(label, lang, threads) for lang in ("eng", "jpn")} for label in labels}


def measure(
    engines: dict[str, dict[str, OcrEngine]],
    pages: list[Page],
    dpis: list[int],
    conditions: list[str],
    save_images: Path | None,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One row per engine, page, dpi and condition; and the text each engine read of the first page."""
    rows: list[dict[str, Any]] = []
    samples: dict[str, str] = {}
    for page in pages:
        for dpi in dpis if page.language == "eng" else [300]:
            for condition in conditions:
                seed = int(hashlib.sha256(page.name.encode()).hexdigest()[:12], 16)  # each page spoiled its own way
                degrade = condition == "degraded"
                (image,) = page_images(page.pdf, dpi=dpi, degrade=degrade, seed=seed, pages=[page.index])
                if save_images is not None:
                    save_images.mkdir(parents=True, exist_ok=True)
                    image.save(save_images / f"{page.name}-{dpi}-{condition}.png")
                for label, by_language in engines.items():
                    engine = by_language[page.language]
                    start = time.perf_counter()
                    result = engine.read(image, timeout_s=300)
                    seconds = time.perf_counter() - start
                    row = {
                        "engine": label,
                        "page": page.name,
                        "language": page.language,
                        "dpi": dpi,
                        "condition": condition,
                        "seconds": round(seconds, 3),
                        "confidence": round(result.confidence, 4),
                    }
                    for whitespace in ("collapse", "ignore"):
                        ref = normalise_for_cer(page.known_text, whitespace=whitespace)
                        hyp = normalise_for_cer(result.text, whitespace=whitespace)
                        row[f"edits_{whitespace}"] = levenshtein(ref, hyp)
                        row[f"chars_{whitespace}"] = len(ref)
                    row["text"] = result.text  # to score again without reading the page again
                    rows.append(row)
                    samples.setdefault(f"{label} / {page.language} / {dpi} / {condition}", result.text)
                    print(
                        f"  {label:26s} {page.name:28s} {dpi} {condition:8s} {seconds:6.1f}s "
                        f"CER {row['edits_collapse'] / row['chars_collapse']:.4f} "
                        f"no-space {row['edits_ignore'] / row['chars_ignore']:.4f} conf {result.confidence:.3f}",
                        flush=True,
                    )
    return rows, samples


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["engine"], row["language"], row["dpi"], row["condition"])].append(row)
    table = []
    for (engine, language, dpi, condition), members in groups.items():
        cer = sum(r["edits_collapse"] for r in members) / sum(r["chars_collapse"] for r in members)
        no_space = sum(r["edits_ignore"] for r in members) / sum(r["chars_ignore"] for r in members)
        seconds = sum(r["seconds"] for r in members)
        table.append(
            {
                "engine": engine,
                "language": language,
                "dpi": dpi,
                "condition": condition,
                "pages": len(members),
                "cer": round(cer, 4),
                "cer_no_space": round(no_space, 4),
                "worst_page_cer": round(max(r["edits_collapse"] / r["chars_collapse"] for r in members), 4),
                "pages_per_s": round(len(members) / seconds, 3),
                "mean_confidence": round(statistics.fmean(r["confidence"] for r in members), 3),
            }
        )
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 pages, 300 dpi, one Japanese page")
    parser.add_argument("--engines", default="tesseract,rapidocr", help=f"comma list of: {', '.join(ENGINES)}")
    parser.add_argument("--threads", type=int, default=1, help="threads per engine (OMP_THREAD_LIMIT for Tesseract)")
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--dpi", default="300,150")
    parser.add_argument("--conditions", default="clean,degraded")
    parser.add_argument("--no-japanese", action="store_true")
    parser.add_argument("--save-images", type=Path, help="write each page image as PNG here")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = str(args.threads)  # read by each tesseract process
    n_pages = 4 if args.quick else args.pages
    dpis = [300] if args.quick else [int(d) for d in args.dpi.split(",")]
    pages = corpus_pages(n_pages)
    if not args.no_japanese:
        pages += japanese_pages()[: 1 if args.quick else None]
    engines = build_engines(args.engines.split(","), args.threads)
    print(
        f"{len(pages)} pages, dpi {dpis}, engines {list(engines)}, {args.threads} thread(s) each; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    rows, samples = measure(engines, pages, dpis, args.conditions.split(","), args.save_images)
    table = summarise(rows)
    print(
        f"\n{'engine':26s} {'lang':4s} {'dpi':>4s} {'condition':9s} {'pages':>5s} {'CER':>7s} "
        f"{'no-space':>8s} {'worst':>7s} {'pages/s':>7s} {'conf':>5s}"
    )
    for t in table:
        target = TARGETS.get(t["condition"]) if t["dpi"] == 300 else None
        score = t["cer_no_space"] if t["language"] == "jpn" else t["cer"]
        mark = "" if target is None else ("  meets" if score <= target else "  MISSES") + f" {target:.0%}"
        print(
            f"{t['engine']:26s} {t['language']:4s} {t['dpi']:4d} {t['condition']:9s} {t['pages']:5d} "
            f"{t['cer']:7.2%} {t['cer_no_space']:8.2%} {t['worst_page_cer']:7.2%} {t['pages_per_s']:7.3f} "
            f"{t['mean_confidence']:5.2f}{mark}"
        )
    print_rows({"load average at the end": round(os.getloadavg()[0], 2)})
    save(
        "eval_ocr.json",
        {"args": vars(args) | {"save_images": str(args.save_images)}, "table": table, "rows": rows, "samples": samples},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
