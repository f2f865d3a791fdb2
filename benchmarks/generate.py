"""Realistic synthetic databases in our record format, with known near-duplicates and look-alikes.

    .venv/bin/python benchmarks/generate.py 10k build/bench/10k-s1 [--seed 1]

writes ``OUT/data/records/<id>.yaml`` (through :func:`llmpapers.db.store.write_record`), copies of
``data/categories.yaml`` and ``data/venues.yaml``, and ``OUT/truth.json``: the injected duplicate pairs
(separate records, different ids, that ``dedupe`` must find) and look-alike pairs (different works that
must stay apart). Everything is deterministic for a given size and seed.

Titles come from a grammar over LLM-systems vocabulary (74 characters on average, up to ~180; tools are
often just a name), about 30% behind a ``Name: `` prefix; venues come from the venue table (arXiv for
about 30%, none for 20%), years 2012-2026, 0-8 authors, arXiv ids (57%), DOIs, paper and code links,
1-3 categories and 1-3 sources; about 660 bytes a file.
Injected duplicates (3% of the records) change case, punctuation, LaTeX residue (``$\\{$Name$\\}$``),
add or drop a ``Name: `` prefix, spell out or shorten ``LLMs``, or carry small typos; most share no
identifier with their original, so only titles can find them. Look-alikes (1%) are ``X``/``X-2``,
``X``/``X-V2``, ``X``/``X-Serve`` (or another name-changing word) and ``X``/``LongX`` with the same or
nearly the same title.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from llmpapers.db.models import Record  # noqa: E402
from llmpapers.db.store import write_record  # noqa: E402
from llmpapers.identity.titles import match_key, slugify, title_slug  # noqa: E402

VERSION = 3  # bump when the output for a given size and seed changes

SIZES = {"1k": 1_000, "10k": 10_000, "50k": 50_000}
DUPLICATE_SHARE = 0.03
LOOKALIKE_SHARE = 0.01
TOOL_SHARE = 0.02

ADJ = """Efficient Fast Scalable Memory-Efficient Low-Latency High-Throughput Adaptive Accurate Lightweight Robust
Practical Dynamic Elastic Cost-Effective Energy-Efficient Fine-Grained Hardware-Aware Training-Free Lossless
Near-Optimal Distributed Heterogeneous Predictable Fair Secure Unified Holistic Flexible Simple Provable
Communication-Efficient Sparse Long-Context Multi-Tenant Serverless Decentralized Speculative Parallel Hierarchical
Asynchronous Online Automatic Interpretable Quantized Compressed Structured Low-Bit Mixed-Precision Outlier-Aware
Context-Aware Query-Aware SLO-Aware Latency-Aware Topology-Aware Cache-Aware Locality-Aware Token-Level Layer-Wise
Expert-Level Workload-Aware Budget-Aware Accuracy-Preserving Zero-Shot Differentiable Learned Data-Free Calibrated
Progressive Incremental Cooperative Federated Privacy-Preserving Verifiable Deterministic Stateful Stateless
Composable Programmable Declarative Portable Resilient Fault-Tolerant Preemptible Disaggregated Co-Designed""".split()

OBJ = """KV-Cache Attention Expert Prompt Token Weight Activation Gradient Optimizer-State Embedding Adapter LoRA
Request Batch Prefix Context Memory Tensor Pipeline Kernel Operator Layer Head Sequence Query Draft-Model
Model Checkpoint Graph Cluster Accelerator Vector Index Document Agent Tool Program Decoder Encoder Router
Sampler Tokenizer Logit Reward Policy Dataset Benchmark Workload Instance Replica GPU CPU NVMe Network
Interconnect Storage Compiler Scheduler Runtime Prompt-Template Retrieval Speculation Reasoning
Chain-of-Thought Long-Sequence Multimodal Vision-Language Speech Code Instruction Preference Feedback
State-Space Recurrent Convolution Mixture-of-Experts Transformer Diffusion""".split()

ACT = """Compression Eviction Quantization Pruning Scheduling Placement Routing Offloading Caching Sharing Prefetching
Partitioning Parallelism Fusion Selection Reuse Migration Management Allocation Distillation Merging Sparsification
Retrieval Verification Batching Compilation Tuning Profiling Balancing Replication Recomputation Streaming Encoding
Aggregation Estimation Prediction Adaptation Search Optimization Serving Inference Training Fine-Tuning Decoding
Generation Evaluation Alignment Calibration Reconstruction Approximation Factorization Decomposition Synchronization
Communication Orchestration Autoscaling Provisioning Preemption Admission Isolation Monitoring Debugging Analysis
Characterization Modeling Simulation Acceleration""".split()

TARGET = [
    "Large Language Models", "LLMs", "Transformers", "Generative Models", "Long Sequences", "Edge Devices",
    "Commodity GPUs", "Multi-GPU Clusters", "Consumer Hardware", "Mobile Devices", "Production Workloads",
    "Multi-Tenant Clusters", "Serverless Platforms", "Heterogeneous Clusters", "Code Generation", "Chatbots",
    "Multimodal Models", "Foundation Models", "Recommendation Models", "LLM Agents", "Retrieval-Augmented Generation",
    "Vision Transformers", "Mixture-of-Experts Models", "Small Language Models", "Speech Recognition",
    "Machine Translation", "Scientific Computing", "Interactive Applications", "Batch Analytics", "Datacenters",
    "Reasoning Models", "Compound AI Systems", "Diffusion Transformers", "Embedding Models", "Search Engines",
    "Question Answering", "Long-Document Summarization", "Autonomous Driving", "Robotics Policies", "Video Generation",
    "Time-Series Forecasting", "Graph Neural Networks", "Protein Language Models", "Clinical Text", "Legal Documents",
    "Spreadsheet Formulas", "Database Queries", "Mathematical Reasoning", "Multilingual Models",
    "Low-Resource Languages",
]  # fmt: skip

TECH = [
    "Dynamic Batching", "Adaptive Scheduling", "Learned Eviction", "Token-Level Preemption", "Lookahead Decoding",
    "Tree-Based Verification", "Low-Rank Decomposition", "Outlier Smoothing", "Hessian-Based Rounding",
    "Chunked Prefill", "Paged Memory", "Radix Trees", "Block-Sparse Kernels", "Online Softmax", "Kernel Fusion",
    "Expert Parallelism", "Activation Recomputation", "CPU Offloading", "NVMe Offloading", "Draft Models",
    "Self-Speculation", "Layer Skipping", "Attention Sinks", "Semantic Caching", "Prompt Reuse", "Weight Sharing",
    "Vector Quantization", "Group-Wise Quantization", "Contextual Sparsity", "Graph Compilation", "Work Stealing",
    "Preemptive Scheduling", "Load Balancing", "Elastic Scaling", "Live Migration", "Cross-Layer Attention",
    "Grouped-Query Attention", "Sliding Window Attention", "Rotary Embeddings", "Mixed-Precision Arithmetic",
    "Reinforcement Learning", "Integer Linear Programming", "Bayesian Optimization", "Cost Models",
    "Queueing Theory", "Learned Indexes", "Hash Routing", "Bit-Level Packing", "Lookup Tables", "Systolic Arrays",
    "Fourier Features", "Random Projections", "Importance Sampling", "Gumbel Softmax", "Product Quantization",
    "Locality-Sensitive Hashing", "Bloom Filters", "Copy-on-Write Pages", "Unified Virtual Memory", "CUDA Graphs",
    "Warp Specialization", "Tensor Cores", "Asynchronous Copies", "Persistent Kernels", "Stream-K Decomposition",
    "Ring All-Reduce", "Zero Redundancy", "Gradient Checkpointing", "Micro-Batching", "Token Dropping",
    "Learned Routers", "Lagrangian Relaxation", "Game Theory", "Control Theory", "Evolutionary Search",
]  # fmt: skip

HW = [
    "GPUs", "TPUs", "FPGAs", "CPUs", "Edge Devices", "Smartphones", "Multi-GPU Servers", "AMD GPUs", "Apple Silicon",
    "Commodity Clusters", "Wafer-Scale Engines", "Processing-in-Memory", "Laptops", "Spot Instances", "RDMA Networks",
    "Optical Interconnects", "Chiplets", "Microcontrollers", "Neuromorphic Chips", "SmartNICs", "Disaggregated Memory",
    "CXL Memory", "HBM Stacks", "RISC-V Cores", "Gaudi Accelerators", "Trainium", "Ascend NPUs", "Edge TPUs",
]  # fmt: skip

VERBING = """Accelerating Scaling Rethinking Optimizing Taming Serving Unlocking Revisiting Understanding Characterizing
Democratizing Boosting Breaking Compressing Simplifying Exploiting Harnessing Orchestrating Benchmarking
Automating Reducing Bridging Enabling Improving""".split()

STUDY = [
    "A Case Study", "An Empirical Study", "A Systems Perspective", "Challenges and Opportunities", "A Survey",
    "A Benchmark", "Lessons Learned", "An Analysis", "A Reality Check", "Design and Implementation",
]  # fmt: skip

NAME_A = """Flash Spec Quant Paged Turbo Hydra Medusa Deep Mega Swift Tiny Radix Ring Tree Hyper Smooth Dyna Infini
Chunk Token Orca Llum Split Dist Tensor Expert Gist Ada Auto Omni Neo Zip Echo Pulse Nova Astra Vega Atlas Helix
Prism Quark Photon Cobalt Ember Falcon Lynx Otter Raven Sable Tern Wren Kestrel Marlin Puffin Heron Ibis Jackal
Koala Lemur Mantis Narwhal Ocelot Panda Quokka Serval Tapir Urchin Vole Walrus Yak Zebra""".split()
NAME_B = """Gen Infer LM Cache Decode Flow Spec Prune Batch Kernel Sched Store Tune Shard Route Fuse Pack Stream Scale
Opt Mind Core Engine Run Pipe Former Mamba KV Mem Grad Mix Sync Swap Skip Lens Vec Tok Graph Bit""".split()
SYLLABLES = """ka lo mi ra ve zu tor nix pha qua sel tri vo xen dar hal jor mel nor pel ris sto tam ul vin wex bre
cly dru fen gor""".split()
# Words that, added to a name, make another work (a subset of llmpapers.identity.titles.SUFFIX_WORDS).
SUFFIXES = ["Serve", "Lite", "MoE", "Turbo", "Pro", "Mini", "Chat", "Instruct", "Next", "Plus"]

FIRST = """Wei Li Yang Jun Hao Ming Xin Yu Chen Lei Tianqi Zhihao Ion Matei Joseph Ana Maria Sofia Lucas Noah Emma
Olivia Liam Mateo Hiroshi Yuki Sanjay Priya Arjun Ravi Fatima Omar Amir Sara David Daniel Michael Sarah Laura
Tri Woosuk Zhuohan Ying Lianmin Siyuan Kexin Jiaming Guangxuan Song Elias Dan Tim Luke Kurt Nikita Anastasia Yonatan
Reiner Jeff Noam Mohammad Alexandre Pierre Marco Giulia Hannah Felix Jonas Lukas Mia Lea""".split()
LAST = """Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Kwon Zheng Stoica
Gonzalez Dao Fu Ermon Re Yu Jeong Kim Park Lee Choi Gupta Sharma Patel Singh Kumar Agrawal Smith Johnson Brown
Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Muller Schmidt Schneider Fischer Weber Rossi Russo Ferrari
Dubois Martin Bernard Tanaka Suzuki Sato Takahashi Ivanov Petrov Novak Kowalski Nielsen Hansen Dettmers Frantar
Alistarh Xiao Han Shazeer Pope Dean Zaharia Shoeybi Rajbhandari Narayanan Ré Müller Çelik Øvergaard Đorđević""".split()

LISTS = [
    "awesome-llm-inference", "awesome-ml-system-codesign", "efficient-llm-hardware-system",
    "llm-papers-we-recommend", "manual", "bench-import",
]  # fmt: skip
SECTIONS = [
    "LLM Inference/Serving", "KV Cache", "Quantization", "Speculative Decoding", "Attention Kernels", "Training",
    "Mixture of Experts", "Long Context", "Hardware/System", "Surveys", "Agents and Applications", "Compilers",
]  # fmt: skip
TAGS = ["Continuous Batching", "KV Cache", "FlashAttention", "Quantization", "Survey", "MoE", "Speculative", "Serving"]


TAILS = [
    "at Scale", "in Production", "with Guarantees", "in the Wild", "under Memory Pressure", "for Free",
    "without Retraining", "at the Edge", "with Minimal Overhead", "Made Easy", "Revisited", "in Practice",
]  # fmt: skip


def _phrase(rng: random.Random) -> str:
    """A title without a name prefix."""
    adj, adj2 = rng.sample(ADJ, 2)
    topic = f"{rng.choice(OBJ).replace('-', ' ' if rng.random() < 0.5 else '-')} {rng.choice(ACT)}"
    if rng.random() < 0.3:
        topic = f"{rng.choice(OBJ).replace('-', ' ')} and {topic}"
    target, tech, hw, verb = rng.choice(TARGET), rng.choice(TECH), rng.choice(HW), rng.choice(VERBING)
    templates = [
        f"{adj} {topic} for {target}",
        f"{adj} {topic} with {tech}",
        f"{adj} and {adj2} {topic} for {target}",
        f"{topic} via {tech} on {hw}",
        f"Towards {adj} {topic} on {hw}",
        f"{verb} {topic} with {tech}",
        f"{verb} {topic} for {target} via {tech}",
        f"{verb} {adj} {topic} on {hw}",
        f"A Survey on {adj} {topic} for {target}",
        f"{tech} for {adj} {topic} in {target}",
        f"{verb} the {rng.choice(['Cost', 'Performance', 'Limits', 'Efficiency', 'Design Space'])} of {topic}",
        f"When {topic} Meets {rng.choice(OBJ).replace('-', ' ')} {rng.choice(ACT)}",
        f"{adj} {topic} for {target} with {tech}",
        f"{verb} {adj} {topic} for {target} on {hw} with {tech}",
    ]
    title = rng.choice(templates)
    return f"{title} {rng.choice(TAILS)}" if rng.random() < 0.15 else title


class Names:
    """Unique names of works (``FlashGen``, ``Kalomi``), none a version or suffix of another."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        rng = self.rng
        for _ in range(1000):
            r = rng.random()
            if r < 0.5:
                name = rng.choice(NAME_A) + rng.choice(NAME_B)
            elif r < 0.8:
                name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            else:
                name = rng.choice(NAME_A) + "".join(rng.choice(SYLLABLES) for _ in range(2))
            if rng.random() < 0.1:
                name = name.upper()
            elif rng.random() < 0.05:
                name = name[0].lower() + name[1:].upper()  # vLLM style
            key = name.lower()
            if key not in self.used and not any(key.endswith(s.lower()) for s in SUFFIXES):
                self.used.add(key)
                return name
        raise RuntimeError("ran out of names")  # pragma: no cover


@dataclass
class Work:
    id: str
    data: dict
    name: str | None = None
    rest: str = ""
    extra: dict = field(default_factory=dict)


class Generator:
    def __init__(
        self, size: int, seed: int, venues: list[str], categories: list[str], dois: frozenset[str] = frozenset()
    ) -> None:
        self.rng = random.Random(f"{seed}-{size}")
        self.size = size
        self.venues = venues
        self.dois = dois  # venues that register a DOI for every paper
        self.categories = categories
        self.names = Names(self.rng)
        self.ids: set[str] = set()
        self.keys: set[str] = set()
        self.arxiv: set[str] = set()
        self.works: list[Work] = []
        self.duplicates: list[dict] = []
        self.lookalikes: list[dict] = []

    # -- pieces ------------------------------------------------------------------------------------
    def _id(self, base: str) -> str:
        base = base[:60].strip("-") or "record"
        rid, n = base, 2
        while rid in self.ids:
            rid, n = f"{base}-{n}", n + 1
        self.ids.add(rid)
        return rid

    def _arxiv(self, year: int) -> str:
        while True:
            yy = max(year, 2015) % 100
            aid = f"{yy:02d}{self.rng.randint(1, 12):02d}.{self.rng.randint(1, 29999):05d}"
            if aid not in self.arxiv:
                self.arxiv.add(aid)
                return aid

    def _authors(self) -> list[str]:
        rng = self.rng
        n = rng.choice([1, 1, 2, 3, 3, 4, 4, 5, 6, 8])
        out: list[str] = []
        while len(out) < n:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in out:
                out.append(name)
        return out

    def _sources(self, title: str, k: int | None = None) -> list[dict]:
        rng = self.rng
        out = []
        for lst in rng.sample(LISTS, k or rng.choice([1, 1, 1, 2, 2, 3])):
            as_listed = f"[{rng.choice(TAGS)}] {title}" if rng.random() < 0.2 else title
            src = {"list": lst, "as_listed": as_listed}
            if lst != "manual":
                src["section"] = rng.choice(SECTIONS)
                src["line"] = rng.randint(1, 5000)
            out.append(src)
        return out

    def _links(self, rid: str, year: int, kind: str, venue: str) -> dict:
        rng = self.rng
        links: dict = {}
        if kind == "paper":  # citable, as the curated database is: an arXiv id for a preprint, a DOI where the
            # venue registers one, and always some direct link to the paper
            if venue == "arXiv" or rng.random() < 0.7:
                links["arxiv"] = self._arxiv(year)
            if venue in self.dois or (venue != "arXiv" and rng.random() < 0.3):
                links["doi"] = f"10.{rng.randint(1000, 9999)}/{rid}.{rng.randint(1, 999)}"
            if rng.random() < 0.25 or not links:
                links["paper"] = f"https://proceedings.example.org/{venue.lower().replace(' ', '-')}/{year}/{rid}.pdf"
        if kind == "article":
            links["paper"] = f"https://blog.example.org/{year}/{rid}"
        if kind == "hardware":
            links["project"] = f"https://www.example.com/products/{rid}"
        if kind != "paper" or rng.random() < 0.35:
            owner = rng.choice(LAST).lower() + rng.choice(["-lab", "-ai", "", "org"])
            links["code"] = f"https://github.com/{owner}/{rid}"
        if rng.random() < 0.1:
            links["project"] = f"https://{rid}.github.io/"
        if rng.random() < 0.05:
            links["other"] = [f"https://www.youtube.com/watch?v={rid}&t={rng.randint(1, 999)}s"]
        return links

    def _new_title(self, named: bool) -> tuple[str, str | None, str]:
        """A fresh title (its match key unlike any other so far), its name and its text after the name."""
        for _ in range(100):
            rest = _phrase(self.rng)
            if self.rng.random() < 0.1:
                rest = rest.replace("Large Language Models", "LLMs")
            name = self.names.new() if named else None
            title = f"{name}: {rest}" if name else rest
            key = match_key(title)
            rest_key = match_key(rest)
            if key not in self.keys and rest_key not in self.keys:
                self.keys.update((key, rest_key))
                return title, name, rest
        raise RuntimeError("ran out of titles")  # pragma: no cover

    def _record(self, title: str, name: str | None, kind: str = "paper", rid: str | None = None) -> dict:
        rng = self.rng
        year = rng.choices(range(2012, 2027), weights=[1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 16, 22, 26, 20])[0]
        venue = "arXiv" if rng.random() < 0.35 else rng.choice(self.venues)
        rid = rid or self._id(slugify(name) if name and rng.random() < 0.8 else title_slug(title))
        data: dict = {"id": rid, "type": kind, "title": title}
        if name:
            data["short_name"] = name
        authors = self._authors()
        if authors and kind in ("paper", "article"):
            data["authors"] = authors
        if rng.random() < 0.95:
            data["year"] = year
        if kind in ("paper", "article") and rng.random() < 0.9:
            data["venue"] = venue
        data["links"] = self._links(rid, year, kind, venue)  # an empty mapping is dropped when written
        data["categories"] = rng.sample(self.categories, rng.choice([1, 1, 2, 2, 3]))
        data["sources"] = self._sources(title)
        data["added"] = (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))).isoformat()
        return data

    # -- the database --------------------------------------------------------------------------------
    def build(self) -> None:
        rng = self.rng
        n_dup = max(3, round(self.size * DUPLICATE_SHARE))
        n_look = max(4, round(self.size * LOOKALIKE_SHARE))
        n_tool = round(self.size * TOOL_SHARE)
        n_base = self.size - n_dup - n_look - n_tool
        for _ in range(n_base):
            title, name, rest = self._new_title(rng.random() < 0.4)
            kind = rng.choices(["paper", "article", "tool", "model", "hardware"], [85, 5, 5, 4, 1])[0]
            data = self._record(title, name, kind)
            self.works.append(Work(data["id"], data, name, rest))
        papers = [w for w in self.works if w.data["type"] == "paper"]
        named = [w for w in papers if w.name]
        # a paper and its code: two records that link to each other
        for w in rng.sample(named, min(n_tool, len(named))):
            tool_id = self._id(f"{slugify(w.name)}-code")
            title = w.name if rng.random() < 0.5 else f"{w.name}: {self._new_title(False)[0]}"
            data = self._record(title, w.name, "tool", tool_id)
            data["related"] = [{"id": w.id, "rel": "paper"}]
            w.data.setdefault("related", []).append({"id": tool_id, "rel": "code"})
            self.works.append(Work(tool_id, data, None, ""))
        # look-alikes: different works with nearly the same title
        kinds = ["version", "v2", "suffix", "long"]
        for i, w in enumerate(rng.sample([w for w in named if w.name and "related" not in w.data], n_look)):
            self._lookalike(w, kinds[i % len(kinds)])
        # near-duplicates: separate records of one work
        dup_kinds = ["case", "punctuation", "latex", "drop-prefix", "add-prefix", "typo", "typo-case", "llms"]
        pool = [w for w in papers if "related" not in w.data and not w.extra]
        rng.shuffle(pool)
        named_pool = [w for w in pool if w.name]
        unnamed_pool = [w for w in pool if not w.name]
        for i in range(n_dup):
            kind = dup_kinds[i % len(dup_kinds)]
            first, second = (named_pool, unnamed_pool) if kind == "drop-prefix" else (unnamed_pool, named_pool)
            if kind not in ("drop-prefix", "add-prefix"):
                first, second = (named_pool, unnamed_pool) if i % 2 else (unnamed_pool, named_pool)
            self._duplicate((first or second).pop(), kind)

    def _lookalike(self, w: Work, kind: str) -> None:
        rng = self.rng
        name = w.name
        if kind == "version":
            other = f"{name}{rng.choice(['-', ' ', ''])}{rng.choice([2, 2, 3, 1.5])}"
        elif kind == "v2":
            other = f"{name}-{rng.choice(['V2', 'v2', 'V3'])}"
        elif kind == "suffix":
            other = f"{name}-{rng.choice(SUFFIXES)}"
        else:
            other = f"Long{name}" if name[0].isupper() else f"Long{name.capitalize()}"
        rest = w.rest
        if rng.random() < 0.5:  # nearly the same subtitle: one word more or one word changed
            words = rest.split()
            j = rng.randrange(len(words))
            if rng.random() < 0.5:
                words.insert(j, rng.choice(ADJ))
            else:
                words[j] = rng.choice(ADJ)
            rest = " ".join(words)
        data = self._record(f"{other}: {rest}", other, w.data["type"], self._id(slugify(other)))
        data["links"].pop("doi", None)
        if rng.random() < 0.5:
            data["links"].pop("arxiv", None)
            data["links"] = data["links"] or {"code": f"https://github.com/lookalike/{data['id']}"}
        if rng.random() < 0.2:  # some have been declared apart already, as a curator would
            data["not_duplicates"] = [w.id]
            w.data.setdefault("not_duplicates", []).append(data["id"])
        w.extra["lookalike"] = True
        self.works.append(Work(data["id"], data, other, rest, {"lookalike": True}))
        self.lookalikes.append({"a": w.id, "b": data["id"], "kind": kind, "titles": [w.data["title"], data["title"]]})

    def _duplicate(self, w: Work, kind: str) -> None:
        rng = self.rng
        title, name = w.data["title"], w.name
        short = name if rng.random() < 0.5 else None
        if kind == "case":
            title = rng.choice([title.lower(), title[:1] + title[1:].lower(), title.upper(), title.title()])
        elif kind == "punctuation":
            title = title.replace("-", " ") if "-" in title else title + "."
            title = title.replace(": ", " - ", 1) if name and rng.random() < 0.5 else title
            short = None if ": " not in title else short
        elif kind == "latex":
            if name:
                title = title.replace(name, f"$\\{{${name}$\\}}$", 1)
            words = [x for x in title.split() if "-" in x and "$" not in x]
            if words or not name:
                word = rng.choice(words) if words else title.split()[-1]
                title = title.replace(word, f"$\\{{${word}$\\}}$", 1)
        elif kind == "drop-prefix":  # the copy lost the name (it may keep it as short name)
            title = w.rest if name else title.lower()
        elif kind == "add-prefix":  # the copy gained a name
            if name:  # only when the pool of unnamed originals ran out
                title = w.rest
            else:
                new = self.names.new()
                title, short = f"{new}: {title}", new
        elif kind == "llms":
            if "Large Language Models" in title:
                title = title.replace("Large Language Models", "LLMs")
            elif "LLMs" in title:
                title = title.replace("LLMs", "Large Language Models")
            else:
                title = title.replace(" and ", " & ", 1) if " and " in title else title.lower()
        else:  # typo, typo-case: scoring at least 92 against the original, so that dedupe can merge them
            original = match_key(title)
            for _ in range(20):
                title = self._typo(w)
                if kind == "typo-case":
                    title = title[:1] + title[1:].lower()
                if fuzz.ratio(match_key(title), original) >= 92 and match_key(title) != original:
                    break
        if title == w.data["title"]:
            title = title.lower() if title != title.lower() else title.upper()
        data = self._record(title, short, w.data["type"], self._id(f"{w.id}-{rng.choice(['dup', 'b', 'x', '2024'])}"))
        # one work listed twice: its edition as the original gives it, or its preprint, or no venue at all
        for name in ("year", "venue"):
            data.pop(name, None)
        if "year" in w.data:
            data["year"] = w.data["year"]
        venue = rng.choice([w.data.get("venue"), w.data.get("venue"), "arXiv", None])
        if venue:
            data["venue"] = venue
        order = ("id", "type", "title", "short_name", "authors", "year", "venue", "links", "categories", "sources")
        data = {k: data[k] for k in order if k in data} | {k: v for k, v in data.items() if k not in order}
        data["links"].pop("doi", None)
        if rng.random() < 0.2 and "arxiv" in w.data.get("links", {}):
            self.arxiv.discard(data["links"].get("arxiv"))
            data["links"]["arxiv"] = w.data["links"]["arxiv"]  # found by identifier as well
        else:
            data["links"].pop("arxiv", None)
        data["links"].pop("paper", None)
        data["links"] = data["links"] or {"code": f"https://github.com/dup/{data['id']}"}
        w.extra["duplicated"] = True
        self.works.append(Work(data["id"], data, short, "", {"duplicate": True}))
        self.duplicates.append({"a": w.id, "b": data["id"], "kind": kind, "titles": [w.data["title"], title]})

    def _typo(self, w: Work) -> str:
        """One or two small typos in the long words after the name, never in a number or a name-changing word."""
        rng = self.rng
        title = w.data["title"]
        head = f"{w.name}: " if w.name else ""
        words = title[len(head) :].split(" ")
        ok = [i for i, x in enumerate(words) if len(x) >= 6 and x.isalpha()]
        for i in rng.sample(ok, min(len(ok), rng.choice([1, 1, 2]))):
            x, j = words[i], rng.randrange(1, len(words[i]) - 2)
            op = rng.choice(["swap", "drop", "double", "replace"])
            if op == "swap":
                x = x[:j] + x[j + 1] + x[j] + x[j + 2 :]
            elif op == "drop":
                x = x[:j] + x[j + 1 :]
            elif op == "double":
                x = x[:j] + x[j] + x[j:]
            else:
                x = x[:j] + rng.choice("aeioustnr") + x[j + 1 :]
            words[i] = x
        return head + " ".join(words)


def generate(size: int, out: Path, seed: int = 1, progress: bool = False) -> dict:
    """Write a database of ``size`` records to ``out/data`` and its ground truth to ``out/truth.json``."""
    data_dir = out / "data"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    (data_dir / "records").mkdir(parents=True)
    for name in ("categories.yaml", "venues.yaml"):
        shutil.copyfile(ROOT / "data" / name, data_dir / name)
    table = yaml.safe_load((ROOT / "data/venues.yaml").read_text())["venues"]
    venues = [v["name"] for v in table]
    dois = frozenset(v["name"] for v in table if v.get("dois"))
    categories = [c["slug"] for c in yaml.safe_load((ROOT / "data/categories.yaml").read_text())["categories"]]
    gen = Generator(size, seed, venues, categories, dois)
    gen.build()
    for i, w in enumerate(gen.works):
        write_record(data_dir, Record.model_validate(w.data))
        if progress and i % 1000 == 999:
            print(f"\rgenerate {size}: {i + 1}/{len(gen.works)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    truth = {
        "size": size,
        "seed": seed,
        "version": VERSION,
        "records": len(gen.works),
        "duplicates": gen.duplicates,
        "lookalikes": gen.lookalikes,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


def parse_size(text: str) -> int:
    return SIZES.get(text) or int(text.lower().replace("k", "000"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", help="1k, 10k, 50k or a number of records")
    ap.add_argument("out", type=Path, help="folder to write (data/ and truth.json go inside)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    truth = generate(parse_size(args.size), args.out, args.seed, progress=sys.stderr.isatty())
    print(
        f"{args.out}: {truth['records']} records, {len(truth['duplicates'])} injected duplicates, "
        f"{len(truth['lookalikes'])} look-alike pairs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
