#include "models/core/common/errors.h"

namespace nptsim {

const char* to_string(PagingError e) {
  switch (e) {
    case PagingError::NoMemory:
      return "NoMemory";
    case PagingError::NotAligned:
      return "NotAligned";
    case PagingError::NotMapped:
      return "NotMapped";
    case PagingError::AlreadyMapped:
      return "AlreadyMapped";
    case PagingError::MappedToHugePage:
      return "MappedToHugePage";
    case PagingError::Panic:
      return "Panic";
  }
  return "?";
}

const char* to_string(MappingError e) {
  switch (e) {
    case MappingError::InvalidParam:
      return "InvalidParam";
    case MappingError::AlreadyExists:
      return "AlreadyExists";
    case MappingError::BadState:
      return "BadState";
    case MappingError::Panic:
      return "Panic";
  }
  return "?";
}

const char* to_string(AxError e) {
  switch (e) {
    case AxError::InvalidInput:
      return "InvalidInput";
    case AxError::AlreadyExists:
      return "AlreadyExists";
    case AxError::BadState:
      return "BadState";
    case AxError::NoMemory:
      return "NoMemory";
    case AxError::Panic:
      return "Panic";
  }
  return "?";
}

}  // namespace nptsim
