"""An independent validator for IPC plans over the PDDL subset goap reads.

It shares nothing with goap's C++ code: its own s-expression reader, its own grounding of each
plan step, its own state. STRIPS with :typing, :negative-preconditions, :equality and
:action-costs; deletes apply before adds. validate(domain_text, problem_text, plan_lines) returns
the plan's cost, or raises PlanError saying which step fails.
"""
import re


class PlanError(Exception):
    pass


def parse(text):
    tokens = re.findall(r"[()]|[^\s()]+", re.sub(r";[^\n]*", "", text).lower())
    stack = [[]]
    for t in tokens:
        if t == "(":
            stack.append([])
        elif t == ")":
            done = stack.pop()
            stack[-1].append(done)
        else:
            stack[-1].append(t)
    assert len(stack) == 1 and len(stack[0]) == 1, "unbalanced parentheses"
    return stack[0][0]


def typed(items):
    """(a b - t c) -> [(a, t), (b, t), (c, 'object')]"""
    out, pending, i = [], [], 0
    while i < len(items):
        if items[i] == "-":
            out += [(n, items[i + 1]) for n in pending]
            pending, i = [], i + 2
        else:
            pending.append(items[i])
            i += 1
    return out + [(n, "object") for n in pending]


def sections(define):
    secs = {}
    for s in define[2:]:
        secs.setdefault(s[0], []).append(s)
    return secs


class Task:
    def __init__(self, domain_text, problem_text):
        d, p = parse(domain_text), parse(problem_text)
        ds, ps = sections(d), sections(p)
        self.parent = {}
        for sec in ds.get(":types", []):
            for name, parent in typed(sec[1:]):
                self.parent[name] = parent
        self.type_of = {}
        for sec in ds.get(":constants", []) + ps.get(":objects", []):
            for name, t in typed(sec[1:]):
                self.type_of[name] = t
        self.actions = {}
        for sec in ds.get(":action", []):
            a = {"params": [], "pre": [], "eff": []}
            keys = sec[2:]
            for k in range(0, len(keys), 2):
                if keys[k] == ":parameters":
                    a["params"] = typed(keys[k + 1])
                elif keys[k] == ":precondition":
                    a["pre"] = keys[k + 1]
                elif keys[k] == ":effect":
                    a["eff"] = keys[k + 1]
            self.actions[sec[1]] = a
        self.state, self.values = set(), {}
        for fact in ps[":init"][0][1:]:
            if fact[0] == "=":
                self.values[tuple(fact[1])] = int(float(fact[2]))
            else:
                self.state.add(tuple(fact))
        self.goal = ps[":goal"][0][1]
        self.metric = ":metric" in ps

    def is_a(self, obj, t):
        cur = self.type_of.get(obj)
        while cur is not None:
            if cur == t:
                return True
            cur = self.parent.get(cur, "object" if cur != "object" else None)
        return t == "object"

    def holds(self, cond, env, state):
        if not cond:
            return True
        head = cond[0]
        if head == "and":
            return all(self.holds(c, env, state) for c in cond[1:])
        if head == "not":
            return not self.holds(cond[1], env, state)
        if head == "=":
            return env.get(cond[1], cond[1]) == env.get(cond[2], cond[2])
        return tuple([head] + [env.get(x, x) for x in cond[1:]]) in state

    def effects(self, eff, env, adds, dels, cost):
        if not eff:
            return cost
        head = eff[0]
        if head == "and":
            for e in eff[1:]:
                cost = self.effects(e, env, adds, dels, cost)
        elif head == "not":
            dels.add(tuple([eff[1][0]] + [env.get(x, x) for x in eff[1][1:]]))
        elif head == "increase":
            v = eff[2]
            if isinstance(v, list):
                key = tuple([v[0]] + [env.get(x, x) for x in v[1:]])
                if key not in self.values:
                    raise PlanError(f"cost {key} is undefined")
                cost += self.values[key]
            else:
                cost += int(float(v))
        else:
            adds.add(tuple([head] + [env.get(x, x) for x in eff[1:]]))
        return cost

    def run(self, plan_lines):
        state, total = set(self.state), 0
        for i, line in enumerate(plan_lines, 1):
            step = line.strip().strip("()").split()
            name, args = step[0], step[1:]
            a = self.actions.get(name)
            if a is None:
                raise PlanError(f"step {i}: unknown action {name}")
            if len(args) != len(a["params"]):
                raise PlanError(f"step {i}: wrong number of arguments")
            env = {}
            for (var, t), obj in zip(a["params"], args):
                if not self.is_a(obj, t):
                    raise PlanError(f"step {i}: {obj} is not a {t}")
                env[var] = obj
            if not self.holds(a["pre"], env, state):
                raise PlanError(f"step {i}: {line.strip()} is not applicable")
            adds, dels = set(), set()
            cost = self.effects(a["eff"], env, adds, dels, 0)
            state = (state - dels) | adds
            total += cost if self.metric else 1
        if not self.holds(self.goal, {}, state):
            raise PlanError("the goal does not hold at the end")
        return total


def validate(domain_text, problem_text, plan_lines):
    return Task(domain_text, problem_text).run(plan_lines)
