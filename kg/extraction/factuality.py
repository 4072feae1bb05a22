"""Stage 3, factuality and intent: whether an event was asserted, negated, hypothetical or looked ahead to,
read off the clauses above its trigger with the cue lists of kg/data/factuality.json; and a stated intention
as an event of its own (PLOVER: a promise is AGREE, a threat THREATEN, a refusal REJECT)."""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon.entries import Lexicon, candidate_lemmas
from .event import Event

# The dependencies a clause climbs to the one governing it, up to a reported-speech boundary.
GOVERNOR_DEPS = ("xcomp", "ccomp", "conj", "advcl", "acl", "pcomp", "prep", "pobj", "dobj", "compound", "amod", "auxpass", "relcl")


class Factuality:
    """Read an event's factuality, and turn a stated intention into the promise, threat or refusal it is."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.fact = f = lex.factuality
        # the cue lists as sets, built once: every event of every sentence is read against them
        cue = lambda name: frozenset(f.get(name, ()))  # noqa: E731
        self.event_predicates, self.readiness, self.ahead = cue("event_predicates"), cue("readiness_predicates"), cue("ahead_words")
        self.hypothetical_modifiers, self.future_modifiers = cue("hypothetical_modifiers"), cue("future_modifiers")
        self.hypothetical_nouns, self.question_words = cue("hypothetical_nouns"), cue("question_words")
        self.negating, self.future_governors = cue("negating_governors"), cue("future_governors")
        self.hypothetical_governors = cue("hypothetical_governors")
        self.modal = cue("future_aux") | cue("hypothetical_aux")

    def governors(self, ev: Event) -> list[Token]:
        """The trigger and the clauses above it up to a reported-speech boundary; an event noun's own predicate
        too ('talks have not begun': the negation is the talks')."""
        chain = [ev.trigger]
        cur = ev.anchor or ev.trigger
        if cur.i != ev.trigger.i:
            chain.append(cur)
        if cur.dep_ in ("nsubj", "nsubjpass") and cur.pos_ in ("NOUN", "PROPN") and \
                cur.head.lemma_.lower() in self.event_predicates:
            cur = cur.head
            chain.append(cur)
        for _ in range(6):
            if cur.dep_ not in GOVERNOR_DEPS or cur.head.i == cur.i:
                break
            if cur.dep_ == "advcl" and cur.tag_ == "VBD":
                break  # a subordinate clause in the past tells its own time: '(will travel ...) after they met'
            cur = cur.head
            chain.append(cur)
        return chain

    def of(self, ev: Event) -> str:
        f = self.fact
        chain = self.governors(ev)
        neg = hyp = fut = False
        modifiers = {c.lower_ for c in ev.trigger.children if c.dep_ in ("amod", "compound", "nmod")}
        if modifiers & self.hypothetical_modifiers:
            hyp = True  # 'a possible trip'
        elif modifiers & self.future_modifiers:
            fut = True  # 'the planned visit'
        if any(node.lemma_.lower() in self.readiness and node.pos_ in ("ADJ", "VERB") for node in chain[1:]):
            fut = True  # 'ready for talks', 'prepared to meet'
        if any(node.lower_ in self.ahead for node in chain[1:]):
            fut = True  # 'ahead of talks with Japan'
        if self.questioned(chain) or any(node.pos_ == "NOUN" and node.lemma_.lower() in self.hypothetical_nouns
                                         for node in chain[1:]):
            hyp = True  # 'how the fighting will affect', 'the right to defend itself'

        for node in chain:
            kids = [(c, c.dep_, c.lower_) for c in node.children]  # each read once: spaCy builds the strings per access
            is_trigger = node.i == ev.trigger.i
            lemmas = set(candidate_lemmas(node))  # 'hoped' may parse as 'hop': its other readings count too
            if any(dep in f["negation_deps"] or (dep == "det" and low == "no") for _, dep, low in kids):
                neg = True
            if not is_trigger and lemmas & self.negating and \
                    any(c in chain and dep in ("dobj", "xcomp", "ccomp") for c, dep, _ in kids):
                neg = True  # "blocked the meeting", "refused to meet"; not "blocked roads to protest"
            aux = [low for _, dep, low in kids if dep in ("aux", "auxpass")]
            if any(a in f["future_aux"] for a in aux):
                fut = True
            if any(a in f["hypothetical_aux"] for a in aux):
                hyp = True
            if is_trigger and any(dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in f["hypothetical_marks"]
                                                         for m in c.children) for c, dep, _ in kids):
                hyp = True
            if any(dep == "mark" and low in f["hypothetical_marks"] for _, dep, low in kids):
                hyp = True
            if not is_trigger and lemmas & self.future_governors and any(dep == "xcomp" for _, dep, _ in kids):
                fut = True
            if not is_trigger and lemmas & self.hypothetical_governors and node.pos_ == "VERB":
                hyp = True
            for c, dep, low in kids:
                if dep == "prep":
                    for p in c.children:
                        if [low, p.lemma_.lower()] in f["hypothetical_preps"]:
                            hyp = True
        if neg:
            return "negated"
        if hyp:
            return "hypothetical"
        if fut:
            return "future"
        return "asserted"

    def questioned(self, chain: list[Token]) -> bool:
        """A clause of the chain asks what will or would happen ('how the fighting will affect ...')."""
        for node in chain:
            kids = [(c.dep_, c.lower_) for c in node.children]
            if any(d in ("advmod", "mark", "dobj", "nsubj") and w in self.question_words for d, w in kids) and \
                    any(d in ("aux", "auxpass") and w in self.modal for d, w in kids):
                return True
        return False

    def intent(self, ev: Event) -> None:
        """A stated intention is an event of its own: 'will give' is a promise (AGREE), 'will boycott' and
        'will withdraw unless ...' are threats (THREATEN); the statement itself is asserted."""
        spec = self.fact.get("intent")
        if not spec:
            return
        clause = ev.anchor or ev.trigger
        own = [c for node in {ev.trigger, clause} for c in node.children]
        # 'would' is a stated intention only in reported speech ('said they would boycott'); on its own
        # ('Israel would withdraw under the plan') it is hypothetical
        reported = clause.dep_ == "ccomp" or ev.trigger.dep_ == "ccomp"
        stated = any(c.dep_ in ("aux", "auxpass") and c.lower_ in spec["aux"] and (reported or c.lower_ not in spec["reported_aux"])
                     for c in own)
        # 'Syria says it is willing to withdraw', 'prepared to lift the ban': a readiness stated as such
        ready = clause.dep_ == "xcomp" and clause.head.lemma_.lower() in spec.get("predicates", ())
        if not stated and not ready or self.questioned(self.governors(ev)):
            return
        if ev.factuality == "negated":
            if self.lex.plover(ev.cls) in spec["refused"] and any(c.dep_ == "neg" for c in own):
                ev.cls, ev.cameo, ev.factuality = spec["refusal_class"], None, "asserted"
            return
        if any(c.dep_ == "mark" and c.lower_ in self.fact["hypothetical_marks"] for c in (clause, *clause.children)) \
                or clause.dep_ == "advcl":
            return  # inside a condition: 'if it would attack'
        marks = {m.lower_ for c in own if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}
        conditional = bool(marks & set(spec["condition_marks"]))
        if not conditional and marks & set(self.fact["hypothetical_marks"]):
            return  # 'would ease the blockade if the hostages are freed': a hypothetical, not a pledge
        plover = self.lex.plover(ev.cls)
        if conditional and plover != "CONSULT" or plover in spec["conflictual"]:
            ev.cls, ev.cameo = spec["conflictual_class"], None
        elif plover in spec["cooperative"]:
            ev.cls, ev.cameo = spec["cooperative_class"], None
        else:
            return
        ev.factuality = "asserted"
