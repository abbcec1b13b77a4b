(define (domain u) (:requirements :adl :fluents :conditional-effects)
  (:types a b - (either c d))
  (:predicates (p ?x) (q))
  (:functions (f ?x) - number)
  (:action x :parameters (?x) :precondition (or (p ?x) (exists (?y) (p ?y)) (> (f ?x) 2))
    :effect (and (forall (?z) (when (p ?z) (not (p ?z)))) (assign (f ?x) 1) (increase (f ?x) (f ?x)))))
;;;; problem
(define (problem u) (:domain u) (:objects o1 o2) (:init (p o1) (= (f o1) 1.5))
  (:goal (forall (?x) (imply (p ?x) (q)))) (:metric maximize (f o1)))
