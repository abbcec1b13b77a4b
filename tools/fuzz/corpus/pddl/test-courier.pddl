; A hand-written typed domain: a type hierarchy, a constant, negative preconditions,
; equality and action costs from a static function. Mixed case on purpose: PDDL is
; case-insensitive.
(define (domain Courier)
  (:requirements :strips :typing :negative-preconditions :equality :action-costs)
  (:types truck van - vehicle
          vehicle package location - object)
  (:constants Depot - location)
  (:predicates (at ?v - vehicle ?l - location)
               (pkg-at ?p - package ?l - location)
               (in ?p - package ?v - vehicle)
               (road ?from ?to - location)
               (broken ?v - vehicle)
               (fragile ?p - package))
  (:functions (total-cost) - number
              (road-length ?from ?to - location) - number)

  ; Driving costs the road's length; a broken vehicle does not move.
  (:action DRIVE
    :parameters (?v - vehicle ?from ?to - location)
    :precondition (and (at ?v ?from) (road ?from ?to) (not (= ?from ?to)) (not (broken ?v)))
    :effect (and (not (at ?v ?from)) (at ?v ?to)
                 (increase (total-cost) (road-length ?from ?to))))

  ; Fragile packages travel only in vans.
  (:action load-truck
    :parameters (?p - package ?v - truck ?l - location)
    :precondition (and (at ?v ?l) (pkg-at ?p ?l) (not (fragile ?p)))
    :effect (and (not (pkg-at ?p ?l)) (in ?p ?v) (increase (total-cost) 1)))

  (:action load-van
    :parameters (?p - package ?v - van ?l - location)
    :precondition (and (at ?v ?l) (pkg-at ?p ?l))
    :effect (and (not (pkg-at ?p ?l)) (in ?p ?v) (increase (total-cost) 1)))

  (:action unload
    :parameters (?p - package ?v - vehicle ?l - location)
    :precondition (and (at ?v ?l) (in ?p ?v))
    :effect (and (not (in ?p ?v)) (pkg-at ?p ?l) (increase (total-cost) 1)))

  ; Repairs happen only at the depot (a constant) and cost 5.
  (:action repair
    :parameters (?v - vehicle ?l - location)
    :precondition (and (broken ?v) (at ?v ?l) (= ?l Depot))
    :effect (and (not (broken ?v)) (increase (total-cost) 5)))

  ; Towing is free but slow: it is the only way a broken vehicle moves, and only to the depot.
  (:action tow
    :parameters (?v - vehicle ?from - location)
    :precondition (and (broken ?v) (at ?v ?from) (not (= ?from depot)))
    :effect (and (not (at ?v ?from)) (at ?v depot) (increase (total-cost) 20)))
)

;;;; problem
(define (problem courier-1)
  (:domain courier)
  (:objects T1 - truck V1 - van A B C - location P1 P2 - package)
  (:init (at t1 depot) (at v1 b) (broken v1)
         (pkg-at p1 a) (pkg-at p2 a) (fragile p2)
         (road depot a) (road a depot) (road a b) (road b a) (road b c) (road c b) (road depot c) (road c depot)
         (= (road-length depot a) 3) (= (road-length a depot) 3)
         (= (road-length a b) 2) (= (road-length b a) 2)
         (= (road-length b c) 2) (= (road-length c b) 2)
         (= (road-length depot c) 10) (= (road-length c depot) 10)
         (= (total-cost) 0))
  (:goal (and (pkg-at p1 c) (pkg-at p2 c) (not (broken v1))))
  (:metric minimize (total-cost)))
