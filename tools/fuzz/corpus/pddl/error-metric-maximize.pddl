(define (domain blocks)
  (:requirements :strips :typing)
  (:types block)
  (:predicates (on ?x - block ?y - block) (clear ?x - block) (holding ?x - block) (handempty))
  (:action pick
    :parameters (?x - block ?y - block)
    :precondition (and (on ?x ?y) (clear ?x) (handempty))
    :effect (and (holding ?x) (clear ?y) (not (on ?x ?y)) (not (handempty))))
)

;;;; problem
(define (problem two)
  (:domain blocks)
  (:objects a b - block)
  (:init (on a b) (clear a) (handempty))
  (:goal (holding a))
  (:metric maximize (total-cost)))
