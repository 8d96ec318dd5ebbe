// The hypervisor policies of nptsim's backend extensions (backend.h: PolicyAllocBackend and
// LinearBackend::max_leaf), beyond the crate's three backends (spec §5, unchanged): Alloc
// backed by 2 MiB or 1 GiB leaves where the host has contiguous frames, lazy faults that map a
// window of pages (fault-around) or the whole area (pre-fault), Linear areas capped at a leaf
// size. Each returns what backend_map / backend_unmap / backend_handle_fault return.
#pragma once

#include "models/core/addrspace/backend.h"

namespace nptsim {

// Maps every page of [start, start+size) that has no leaf yet, each block-aligned part that is
// wholly free with one leaf of `block` (or smaller, when the allocator has no aligned run of
// frames for it). Counts into ctx.work.
MapStatus policy_fill(BackendContext ctx, GuestPhysAddr start, uint64_t size, MappingFlags flags,
                      uint64_t block);

// Eager: policy_fill of the whole area; lazy: nothing.
MapStatus policy_map(const PolicyAllocBackend& b, BackendContext ctx, GuestPhysAddr start,
                     uint64_t size, MappingFlags flags);
// Unmaps leaf by leaf and frees each leaf's frames; a leaf reaching outside the range is an
// error (BadState) after the leaves before it were freed.
MapStatus policy_unmap(BackendContext ctx, GuestPhysAddr start, uint64_t size);
// A lazy area's nested fault at `gpa`: policy_fill of the fault window (at least one block,
// `fault_around` pages, or the whole area with prefault) clipped to `area`. False when the
// window could not be mapped.
bool policy_handle_fault(const PolicyAllocBackend& b, BackendContext ctx, GuestPhysAddr gpa,
                         MappingFlags flags, GuestPhysAddrRange area);

// Linear with a leaf cap: map_region in chunks that no larger leaf can cover.
MapStatus linear_map_capped(const LinearBackend& b, BackendContext ctx, GuestPhysAddr start,
                            uint64_t size, MappingFlags flags);

}  // namespace nptsim
