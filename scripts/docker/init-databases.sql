-- One database per subgraph: each service owns its data (docker-compose.yml mounts this file).
create database members;
create database sections;
create database events;
create database reference;
create database catalogue;
