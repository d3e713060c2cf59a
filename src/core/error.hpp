// Error types: every message names what was given, what was expected and what was found.
#pragma once

#include <stdexcept>
#include <string>

namespace pf {

// Raised for invalid arguments to library calls (shapes, axes, indices).
class ShapeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Raised for bad user input: decks, datasets, checkpoints. The CLI turns it into exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Raised when training meets NaN/Inf in the loss or the gradients.
class NonFiniteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pf
