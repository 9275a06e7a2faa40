/* The baseline of floor_c.c: an empty function behind a shared library's call, as the exports are. */
int c_empty(void* self);
int c_empty(void* self) { (void)self; return 0; }
