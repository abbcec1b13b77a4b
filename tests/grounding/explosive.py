"""Small inputs whose grounding explodes: the reproductions of issue #20 item 2.

Each function writes its files into a directory and returns the goap arguments that plan them.
The files stay a few KB: the blow-up comes from many objects and wide actions or goals.
"""
import os


def _objects(n, prefix="o"):
    return [f"{prefix}{i}" for i in range(n)]


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def yaml_wide_action(d, n=60):
    """An action with 6 parameters over n objects and nothing to prune them: n^6 bindings."""
    objs = "\n".join(f"  {o}: thing" for o in _objects(n))
    return _write(os.path.join(d, "wide.yaml"), f"""kind: world
name: wide
types:
  thing: {{}}
objects:
{objs}
facts:
  linked(thing, thing, thing, thing, thing, thing): bool
  done: bool
actions:
  link:
    params: {{a: thing, b: thing, c: thing, d: thing, e: thing, f: thing}}
    pre: [not done]
    eff: [linked($a, $b, $c, $d, $e, $f)]
goals:
  all-linked:
    priority: 1
    want: [linked(o0, o1, o2, o3, o4, o5)]
""")


def yaml_static_filter(d, n=60):
    """A 6-parameter action whose static precondition fails only once every parameter is bound:
    n^6 partial bindings to try and none to keep (CPU, not memory)."""
    objs = "\n".join(f"  {o}: thing" for o in _objects(n))
    return _write(os.path.join(d, "filter.yaml"), f"""kind: world
name: filter
types:
  thing: {{}}
objects:
{objs}
facts:
  level(thing, thing, thing, thing, thing, thing): int[0..1]
  done: bool
actions:
  finish:
    params: {{a: thing, b: thing, c: thing, d: thing, e: thing, f: thing}}
    pre: [level($a, $b, $c, $d, $e, $f) > 0]
    eff: [done]
goals:
  finished:
    priority: 1
    want: [done]
""")


def yaml_forall_goal(d, n=60, with_small_goal=False):
    """A goal over every 4-tuple of n objects: n^4 wanted facts. `with_small_goal` adds a less
    important goal with a one-step plan."""
    small = """
  small:
    priority: 0
    want: [ok(o0, o0, o0, o0)]""" if with_small_goal else ""
    objs = "\n".join(f"  {o}: thing" for o in _objects(n))
    name = "forall-and-small.yaml" if with_small_goal else "forall.yaml"
    return _write(os.path.join(d, name), f"""kind: world
name: forall
types:
  thing: {{}}
objects:
{objs}
facts:
  ok(thing, thing, thing, thing): bool
actions:
  fix:
    params: {{a: thing}}
    eff: [ok($a, $a, $a, $a)]
goals:
  everything-ok:
    priority: 1
    forall: {{a: thing, b: thing, c: thing, d: thing}}
    want: [ok($a, $b, $c, $d)]{small}
""")


def pddl_wide(d, n=60, fluent=False):
    """PDDL: a 5-parameter action whose preconditions all hold for every object: n^5 bindings.
    With `fluent`, an action also makes (p ?x) true, so the bindings are found through the lifted
    joins and counted as they come; without, the estimate is exact and refused up front."""
    make = """
  (:action make
    :parameters (?x)
    :precondition (p ?x)
    :effect (p ?x))""" if fluent else ""
    domain = _write(os.path.join(d, "domain.pddl"), """(define (domain wide)
  (:requirements :strips)
  (:predicates (p ?x) (q ?a ?b ?c ?d ?e) (goal-reached))""" + make + """
  (:action mark
    :parameters (?a ?b ?c ?d ?e)
    :precondition (and (p ?a) (p ?b) (p ?c) (p ?d) (p ?e))
    :effect (q ?a ?b ?c ?d ?e)))
""")
    objs = " ".join(_objects(n))
    init = " ".join(f"(p {o})" for o in _objects(n))
    problem = _write(os.path.join(d, "problem.pddl"), f"""(define (problem wide-{n})
  (:domain wide)
  (:objects {objs})
  (:init {init})
  (:goal (goal-reached)))
""")
    return domain, problem
