-- Run once by the postgres container of docker-compose.yml: Airflow's metadata and the
-- docanalysis results live in separate databases on the same server.
CREATE DATABASE airflow OWNER docanalysis;
