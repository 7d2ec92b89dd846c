typedef int pg_placeholder_vm;
