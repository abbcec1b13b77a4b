// Strong ids: small integers that name things across module boundaries.
//
// A `StrongId<Tag>` is a 32-bit index into the table that owns the thing it names (the model's
// vectors of types, objects, facts, ...; the grounded task's variables and operators; the state
// registry). Different tags do not convert into each other, so an ObjectId can never be passed
// where a FactId is expected. The default-constructed id is `invalid()`.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace goap::core {

template <class Tag>
class StrongId {
 public:
  using value_type = std::uint32_t;
  constexpr StrongId() = default;
  constexpr explicit StrongId(value_type v) : value_(v) {}
  template <class I>
  static constexpr StrongId from(I i) { return StrongId(static_cast<value_type>(i)); }
  static constexpr StrongId invalid() { return StrongId(); }

  [[nodiscard]] constexpr value_type value() const { return value_; }
  [[nodiscard]] constexpr std::size_t index() const { return value_; }
  [[nodiscard]] constexpr bool valid() const { return value_ != kInvalid; }

  constexpr auto operator<=>(const StrongId&) const = default;

 private:
  static constexpr value_type kInvalid = std::numeric_limits<value_type>::max();
  value_type value_ = kInvalid;
};

}  // namespace goap::core

template <class Tag>
struct std::hash<goap::core::StrongId<Tag>> {
  std::size_t operator()(goap::core::StrongId<Tag> id) const noexcept { return id.value(); }
};
