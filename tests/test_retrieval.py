"""Hybrid retrieval: fusion, the lexical index kept in step with the store, caps and filters."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, InputError
from assistant.models import Passage
from assistant.retrieval.fusion import Fusion, combine, fuse
from assistant.retrieval.rerankers import CrossEncoderReranker, SentenceReranker, gap


def test_fusion_rewards_agreement_and_ignores_score_scales() -> None:
    dense = ["a", "b", "c"]
    lexical = ["c", "d", "a"]
    ranked = [item for item, _ in fuse([dense, lexical], rrf_k=60)]
    assert ranked[0] == "a"  # ranks 1 and 3 beat...
    assert ranked.index("c") < ranked.index("b") < ranked.index("d")  # ...ranks 3 and 1 vs a single 2
    assert dict(fuse([["x"]], rrf_k=60))["x"] == pytest.approx(1 / 61)


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_weighted_fusion_lets_the_heavier_ranking_decide() -> None:
    dense, lexical = ["a", "b", "c"], ["c", "b", "a"]
    assert next(i for i, _ in fuse([dense, lexical], rrf_k=1, weights=[1.0, 0.5])) == "a"
    assert next(i for i, _ in fuse([dense, lexical], rrf_k=1, weights=[0.5, 1.0])) == "c"
    with pytest.raises(ValueError):
        fuse([dense, lexical], weights=[1.0])


def test_convex_combination_scales_each_ranking_to_its_range() -> None:
    cosine = np.array([0.30, 0.50, 0.40])
    bm25 = np.array([12.0, 0.0, 6.0])  # 0: not among BM25's candidates
    assert combine(cosine, bm25, 1.0).tolist() == pytest.approx([0.0, 1.0, 0.5])
    assert combine(cosine, bm25, 0.0).tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert combine(cosine, bm25, 0.6).tolist() == pytest.approx([0.4, 0.6, 0.5])
    assert combine(np.array([0.2, 0.2]), np.zeros(2), 0.5).tolist() == [0.0, 0.0]  # no spread, no say
    with pytest.raises(ValueError):
        combine(cosine, bm25, 1.5)


def test_lexical_index_follows_adds_replacements_and_deletions(store_options: dict, tmp_path: Path) -> None:
    news = tmp_path / "news"
    write(news, "a.txt", "Harbour report\n\nThe harbour master Quillon Vostrikov reopened pier 17 on Monday.")
    write(news, "b.txt", "Weather\n\nRain is expected across the region this weekend.")
    assistant = Assistant(**store_options)
    assistant.ingest([news])
    hits = assistant.retrieve("Vostrikov", k=1, mode="lexical")
    assert hits and hits[0].source == "news/a.txt"

    write(news, "a.txt", "Harbour report\n\nThe harbour master Mirela Stanchev reopened pier 17 on Monday.")
    assistant.ingest([news])
    assert assistant.retrieve("Vostrikov", k=3, mode="lexical") == []  # the old text is gone
    assert assistant.retrieve("Stanchev", k=1, mode="lexical")[0].source == "news/a.txt"

    # Another process (a new Assistant on the same store) sees the change without a restart.
    other = Assistant(**store_options)
    assert other.retrieve("Stanchev", k=1, mode="lexical")[0].source == "news/a.txt"
    assistant.store.delete(sorted(assistant.store.ids_where({"source": "news/a.txt"})))
    assert other.retrieve("Stanchev", k=3, mode="lexical") == []
    assert other.retrieve("rain weekend", k=1, mode="lexical")[0].source == "news/b.txt"


@pytest.mark.parametrize("damage", ["not json", "missing field"])
def test_a_damaged_lexical_cache_is_rebuilt(tmp_path: Path, seeds: Path, damage: str) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([seeds])
    assert assistant.retrieve("Boichenko", k=1, mode="lexical")
    cache = tmp_path / "index" / "lexical"
    assert (cache / "chunks.json").is_file()
    if damage == "not json":
        (cache / "chunks.json").write_text("{not json")
    else:  # e.g. written by an older version
        saved = json.loads((cache / "chunks.json").read_text())
        del saved["dates"]
        (cache / "chunks.json").write_text(json.dumps(saved))
    fresh = Assistant(data_dir=tmp_path / "index")
    assert "Boichenko" in fresh.retrieve("Boichenko", k=1, mode="lexical")[0].text


def test_hybrid_finds_a_rare_name_that_dense_alone_misses(tmp_path: Path) -> None:
    news = tmp_path / "news"
    filler = "The council met to discuss the budget for roads, schools and parks in the city."
    for i in range(12):
        write(news, f"council{i:02d}.txt", f"Council {i}\n\n{filler} Meeting {i} ended late.")
    write(news, "zz.txt", "Budget\n\nThe budget was approved after Okonkwo-Baptiste objected twice.")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([news])
    hybrid = assistant.retrieve("Okonkwo-Baptiste", k=3)
    assert hybrid[0].source == "news/zz.txt"


def test_per_source_cap_and_source_filter(tmp_path: Path, seeds: Path) -> None:
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([seeds])
    capped = assistant.retrieve("Azovstal plant fighting", k=6, per_source=2)
    assert len(capped) == 4
    assert {p.source for p in capped} == {"seeds/000_729b03bd7a238ff7.txt", "seeds/002_33031038dede83a4.txt"}
    only = assistant.retrieve("Azovstal plant fighting", k=6, sources=["seeds/002_33031038dede83a4.txt"])
    assert only and {p.source for p in only} == {"seeds/002_33031038dede83a4.txt"}


def test_a_named_cross_encoder_reorders_the_fused_candidates(tmp_path: Path, seeds: Path) -> None:
    # No trained cross-encoder ships offline; MiniLM's folder loads as a real CrossEncoder with a
    # fresh scoring head. Whatever it scores, hybrid retrieval must follow its order.
    from vectorstore.modelfiles import bundled_model_dir

    assistant = Assistant(data_dir=tmp_path / "index", cross_encoder=str(bundled_model_dir()))
    assistant.ingest([seeds])
    query = "Who said Russian troops were driven out of Azovstal?"
    fused = assistant.retrieve(query, k=20, mode="fused")
    reranker = assistant.retriever.reranker
    assert isinstance(reranker, CrossEncoderReranker)
    scores = reranker.scores(query, fused)
    expected = [p for _, p in sorted(zip(scores, fused, strict=True), key=lambda pair: -pair[0])]
    assert assistant.retrieve(query, k=5) == expected[:5]


def test_a_cross_encoder_that_is_not_a_local_folder_is_refused(tmp_path: Path) -> None:
    from assistant import InputError

    with pytest.raises(InputError, match="Nothing is downloaded"):
        Assistant(data_dir=tmp_path / "index", cross_encoder="cross-encoder/ms-marco-MiniLM-L-6-v2")


def test_date_filter_keeps_articles_dated_within_the_bounds(tmp_path: Path) -> None:
    news = tmp_path / "news"
    write(news, "may.txt", "Port news\n\nPublished May 5, 2022. The ferry to the island resumed service.")
    write(news, "june.txt", "Port news\n\nPublished 2022-06-20. The ferry to the island stopped again.")
    write(news, "undated.txt", "Port news\n\nThe ferry to the island is popular with tourists.")
    assistant = Assistant(data_dir=tmp_path / "index")
    assistant.ingest([news])
    found = assistant.retrieve("ferry island", k=5, date_from="2022-06-01")
    assert [p.source for p in found] == ["news/june.txt"]
    found = assistant.retrieve("ferry island", k=5, date_to="2022-05-31")
    assert [p.source for p in found] == ["news/may.txt"]
    assert assistant.retrieve("ferry island", k=5, date_from="2023-01-01") == []
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        assistant.retrieve("ferry", date_from="June 2022")


def test_convex_fusion_orders_by_weighted_scaled_scores_and_breaks_ties_by_dense() -> None:
    dense, lexical = [("a", 0.9), ("b", 0.5)], [("b", 3.0), ("c", 1.0)]
    assert Fusion("convex", 0.4).order(dense, lexical) == ["b", "a", "c"]
    assert Fusion("convex", 0.5).order(dense, lexical) == ["a", "b", "c"]  # a tie: dense decides
    assert Fusion("rrf", 0.0).order(dense, lexical)[:2] == ["a", "b"]
    with pytest.raises(ValueError):
        Fusion("convex", 1.2)
    with pytest.raises(ValueError):
        Fusion("sum")


def test_first_sight_embeds_only_the_sentences_that_could_win(tmp_path: Path) -> None:
    scorer = Assistant(data_dir=tmp_path / "index").parts.scorer
    embedded: list[str] = []
    embed = scorer.embedder.embed

    def counted(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return embed(texts)

    scorer.embedder.embed = counted  # type: ignore[method-assign]
    query = "When was the lighthouse of Port Elin built?"
    candidates = [
        "The lighthouse of Port Elin was built in 1931.",
        "Port Elin's harbour has a pier.",
        "Glaciers retreat each summer.",
        "Mills grind grain.",
    ]
    combined, semantic, lexical = scorer.score(query, candidates, stand_in=[0.3, 0.3, 0.1, 0.1], embed=2)
    assert embedded == candidates[:2]  # the best two by word overlap and stand-in (the query: embed_query)
    assert semantic[2:].tolist() == [0.1, 0.1]
    full = scorer.score(query, candidates)
    assert semantic[:2] == pytest.approx(full[1][:2])
    assert combined[0] == pytest.approx(full[0][0]) and lexical.tolist() == full[2].tolist()


def test_the_dense_gap_is_the_lead_of_the_best_cosine() -> None:
    assert gap([0.4, 0.7, 0.5]) == pytest.approx(0.2)
    assert gap([0.6, 0.6]) == 0.0 and gap([0.9]) == 0.0 and gap([]) == 0.0


def _passage(source: str, text: str, cosine: float) -> Passage:
    return Passage(
        source=source,
        title=source,
        date=None,
        start_char=0,
        end_char=len(text),
        start_line=1,
        end_line=1,
        text=text,
        score=cosine,
    )


def test_the_dense_ranking_decides_when_one_passage_stands_clear_and_else_the_best_sentence(
    tmp_path: Path,
) -> None:
    reranker = SentenceReranker(Assistant(data_dir=tmp_path / "index").parts.scorer)
    question = "When did the Kelby port station open?"
    clear = "The harbour of Orlaith got its ferry terminal in 1998. Boats leave for the isles every hour."
    wordy = "The Kelby port station was repainted green. Its clock was mended last spring."
    # One passage far ahead by cosine (a question typed without seeing the text): it stays first,
    # though the other shares the question's words.
    ranked = reranker.rerank(question, [_passage("b.txt", wordy, 0.40), _passage("a.txt", clear, 0.80)])
    assert [p.source for p in ranked] == ["a.txt", "b.txt"]
    # Cosines side by side (many passages of one topic): the best sentence decides.
    ranked = reranker.rerank(question, [_passage("a.txt", clear, 0.50), _passage("b.txt", wordy, 0.49)])
    assert [p.source for p in ranked] == ["b.txt", "a.txt"]
