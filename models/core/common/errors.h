// The error model (spec §2): PagingError (page_table_multiarch), MappingError (memory_set) and
// AxError (axerrno), with the crate's conversions.
//
// nptsim extension: where the crate panics (an assertion, an unwrap of an error, an overflow
// check, a decoder that rejects an encoding), nptsim returns an error value of kind `Panic`
// instead, with a static reason. The object that returned it stays usable and destructible, but
// its state is only as consistent as the crate's would be at that point (conformance README,
// "What panic means").
#pragma once

namespace nptsim {

enum class PagingError {
  NoMemory,          // a table frame could not be allocated
  NotAligned,        // map_region: address or size not 4 KiB-aligned
  NotMapped,         // a missing table or a non-present leaf
  AlreadyMapped,     // map: the target entry is not all-zero
  MappedToHugePage,  // a block sits above the requested level
  Panic,             // the crate panics here (see file comment)
};

enum class MappingError { InvalidParam, AlreadyExists, BadState, Panic };

enum class AxError { InvalidInput, AlreadyExists, BadState, NoMemory, Panic };

const char* to_string(PagingError e);
const char* to_string(MappingError e);
const char* to_string(AxError e);

// MappingError -> AxError as axaddrspace converts it (spec §2).
constexpr AxError to_ax_error(MappingError e) {
  switch (e) {
    case MappingError::InvalidParam:
      return AxError::InvalidInput;
    case MappingError::AlreadyExists:
      return AxError::AlreadyExists;
    case MappingError::BadState:
      return AxError::BadState;
    case MappingError::Panic:
      return AxError::Panic;
  }
  return AxError::BadState;
}

// An error with a reason: `reason` is a string literal (static storage), never owned.
template <class Code>
struct Error {
  Code code;
  const char* reason = "";
};

using AxStatusError = Error<AxError>;

}  // namespace nptsim
