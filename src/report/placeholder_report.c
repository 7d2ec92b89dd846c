typedef int pg_placeholder_report;
