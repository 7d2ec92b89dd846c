typedef int pg_placeholder_pageout;
