// Result<T, E>: a value or an error, for library code that never throws on expected failures
// (DESIGN.md convention 5). Result<void, E> carries only the error.
#pragma once

#include <optional>
#include <utility>
#include <variant>

namespace nptsim {

template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected<E> fail(E e) {
  return Unexpected<E>{std::move(e)};
}

template <class T, class E>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}            // NOLINT: implicit
  Result(Unexpected<E> u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

template <class E>
class Result<void, E> {
 public:
  Result() = default;
  Result(Unexpected<E> u) : e_(std::move(u.error)) {}  // NOLINT: implicit

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const E& error() const { return *e_; }

 private:
  std::optional<E> e_;
};

}  // namespace nptsim
