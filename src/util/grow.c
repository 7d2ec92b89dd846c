/*
 * grow.c - arrays that grow by doubling (grow.h).
 */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *
pg_grow(void *base, size_t *cap, size_t need, size_t elem, size_t min,
    size_t max)
{
	size_t n;
	char *p;

	if (need <= *cap)
		return (base);
	if (need > max || elem == 0)
		return (NULL);
	n = *cap != 0 ? *cap : (min != 0 ? min : 1);
	while (n < need)
		n = n > max / 2 ? max : n * 2;
	if (n > max)
		n = max;
	if (n > SIZE_MAX / elem)
		return (NULL);
	if ((p = realloc(base, n * elem)) == NULL)
		return (NULL);
	memset(p + *cap * elem, 0, (n - *cap) * elem);
	*cap = n;
	return (p);
}
