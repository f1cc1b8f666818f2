create table first (id int);
