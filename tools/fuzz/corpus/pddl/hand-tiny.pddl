(define (domain d) (:predicates (p)) (:action a :parameters () :precondition (p) :effect (not (p))))
;;;;
(define (problem q) (:domain d) (:init (p)) (:goal (not (p))))
