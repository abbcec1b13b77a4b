; PDDL applies deletes before adds: touch(a, a) keeps (at a) and adds (touched a).
(define (domain add-wins)
  (:requirements :strips)
  (:predicates (at ?x) (touched ?x) (place ?x))
  (:action touch
    :parameters (?from ?to)
    :precondition (and (at ?from) (place ?to))
    :effect (and (not (at ?from)) (at ?to) (touched ?to))))
