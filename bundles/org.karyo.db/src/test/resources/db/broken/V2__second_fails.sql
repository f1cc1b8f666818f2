create table second (id int);
insert into no_such_table values (1);
