; names outside goap's grammar, upper case, comments everywhere
(DEFINE (DOMAIN Odd.Names) ; a comment
  (:REQUIREMENTS :STRIPS)
  (:PREDICATES (P_1 ?X) (q.2 ?x ?y) (zero))
  (:ACTION 1st-Step :PARAMETERS (?a ?b)
    :PRECONDITION (AND (P_1 ?a) (zero))
    :EFFECT (AND (q.2 ?a ?b) (NOT (zero))))
  (:action noop :parameters () :precondition () :effect (and)))
;;;; problem
(define (problem p) (:domain odd.names)
  (:objects A.b 2c d)
  (:init (p_1 a.b) (zero))
  (:goal (q.2 a.b 2c)))
