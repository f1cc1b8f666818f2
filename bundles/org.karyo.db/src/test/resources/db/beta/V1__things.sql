create table thing (id int);
