; PDDL applies deletes before adds: touch(a, a) keeps (at a) and adds (touched a).
(define (domain add-wins)
  (:requirements :strips)
  (:predicates (at ?x) (touched ?x) (place ?x))
  (:action touch
    :parameters (?from ?to)
    :precondition (and (at ?from) (place ?to))
    :effect (and (not (at ?from)) (at ?to) (touched ?to))))

;;;; problem
(define (problem add-wins-1)
  (:domain add-wins)
  (:objects a b)
  (:init (at a) (place a) (place b))
  (:goal (and (at a) (touched a))))
