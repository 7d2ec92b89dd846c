/*
 * test_check.c - vm_machine_check() finds deliberate corruption.
 */
#include "lib/fixture.h"
#include "vm/swap_int.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

static struct vm_machine *m;
static uint32_t obj, proc, pg[4];

static void
setup(void)
{
	uint32_t i, dev;

	m = fx_machine_mib(64, 2, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 64);
	proc = fx_proc(m, 100);
	cr_assert_eq(vm_proc_map(m, proc, obj), 0);
	for (i = 0; i < 4; i++) {
		pg[i] = fx_alloc(m, obj, i);
		(void)vm_pmap_access(m, proc, pg[i], false);
	}
	vm_page_activate(m, pg[0]);
	vm_page_deactivate(m, pg[1]);
	vm_page_launder(m, pg[2]);
	cr_assert(vm_swap_getspace(m, 2, &dev));
	vm_swap_assign(m, obj, 10, dev);
	vm_swap_assign(m, obj, 11, dev);
}

static void
teardown(void)
{
	vm_machine_destroy(m);
}

TestSuite(check, .init = setup, .fini = teardown);

static void
expect_broken(const char *what)
{
	struct pg_error err;

	cr_assert_eq(vm_machine_check(m, &err), -EFAULT, "missed: %s", what);
	cr_assert(strstr(err.msg, what) != NULL, "message '%s' lacks '%s'",
	    err.msg, what);
}

Test(check, clean_machine_passes)
{
	fx_check(m);
}

Test(check, queue_count)
{
	m->dom[m->pages[pg[0]].domain].pq[PQ_ACTIVE].cnt++;
	expect_broken("pq_cnt");
	m->dom[m->pages[pg[0]].domain].pq[PQ_ACTIVE].cnt--;
	fx_check(m);
}

Test(check, free_count)
{
	m->dom[1].free_count--;
	expect_broken("free_count");
	m->dom[1].free_count++;
}

Test(check, fresh_range)
{
	m->dom[0].fresh_end++;
	expect_broken("fresh pages");
	m->dom[0].fresh_end--;
	m->dom[1].fresh_next = m->dom[1].first_page - 1;
	expect_broken("fresh pages");
	m->dom[1].fresh_next = m->dom[1].first_page + 2;
	fx_check(m);
}

Test(check, queue_field)
{
	m->pages[pg[3]].queue = PQ_LAUNDRY;
	expect_broken("on no list");
}

Test(check, inacthead_missing)
{
	vm_pagequeue_remove(m, m->dom[0].inacthead);
	expect_broken("inacthead");
}

Test(check, resident_count)
{
	m->objects[obj].resident_page_count++;
	expect_broken("resident_page_count");
}

Test(check, swap_count)
{
	m->objects[obj].swap_count--;
	expect_broken("swap_count");
}

/* The swap tree of obj (blocks 10 and 11): its 16-byte root leaf. */
static struct sw_leaf
root_leaf(void)
{
	cr_assert_eq(m->objects[obj].swap_height, 1);
	cr_assert_eq(m->objects[obj].swap_class, 0);
	return (sw_leaf_at(&m->swap->meta, 0, m->objects[obj].swap_root));
}

Test(check, swap_tree_empty_node)
{
	struct sw_leaf l = root_leaf();

	*l.n = 0;
	expect_broken("is empty");
	*l.n = 2;
	fx_check(m);
}

Test(check, swap_tree_order)
{
	struct sw_leaf l = root_leaf();

	l.key[0] = 12;
	expect_broken("out of order");
	l.key[0] = 10;
	fx_check(m);
}

Test(check, swap_tree_node_free_and_used)
{
	struct sw_pool *p = &m->swap->meta.pool[0];

	sw_pool_free(p, m->objects[obj].swap_root);
	expect_broken("is in use");
}

Test(check, swap_tree_leaked_node)
{
	struct sw_pool *p = &m->swap->meta.pool[0];

	cr_assert_eq(sw_pool_reserve(p, 1), 0);
	(void)sw_pool_alloc(p);
	expect_broken("neither free nor in a tree");
}

Test(check, swap_tree_over_budget)
{
	struct sw_meta *t = &m->swap->meta;
	struct sw_leaf l = root_leaf(), g;
	uint32_t id;

	/* Two blocks in a 64-byte root leaf: 32 B each, and below its fill. */
	cr_assert_eq(sw_pool_reserve(&t->pool[SW_BIG], 1), 0);
	id = sw_pool_alloc(&t->pool[SW_BIG]);
	g = sw_leaf_at(t, SW_BIG, id);
	*g.n = 0;
	sw_leaf_append(&g, &l);
	sw_pool_free(&t->pool[0], m->objects[obj].swap_root);
	m->objects[obj].swap_root = id;
	m->objects[obj].swap_class = SW_BIG;
	expect_broken("holds 2 blocks, not 4 to 12");
}

Test(check, swap_device_count)
{
	struct sw_leaf l = root_leaf();

	l.dev[0] = (uint8_t)(l.dev[0] + 1);
	expect_broken("swap device 0: 2 used, 1 blocks assigned");
}

Test(check, leaked_page)
{
	/* A page taken out of its object without being freed. */
	vm_page_dequeue(m, pg[0]);
	vm_pmap_remove_all(m, pg[0]);
	m->pages[pg[0]].object = VM_NONE;
	expect_broken("neither free");
}

Test(check, ref_count)
{
	m->objects[obj].ref_count = 3;
	expect_broken("ref_count");
}

Test(check, min_set)
{
	m->min_domains |= 1;
	expect_broken("min set");
}
