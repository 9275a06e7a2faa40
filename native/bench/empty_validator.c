/*
 * empty_validator.c - a function shaped like the exported validators (a strategy and a pointer in, a bool out) that
 * does nothing, built as a shared library of its own (libbenchfloor.so) so that bench_c.c calls it exactly as it calls
 * validate_deallocation: a direct call through the PLT into another library, and a return. Its row is the floor under
 * the validators' rows: what any function a C program calls in a shared library costs in the same loop.
 */
#include <stdbool.h>

bool bench_empty_validator(const void* strategy, const void* ptr);

bool bench_empty_validator(const void* strategy, const void* ptr)
{
    (void)strategy;
    (void)ptr;
    return true;
}
