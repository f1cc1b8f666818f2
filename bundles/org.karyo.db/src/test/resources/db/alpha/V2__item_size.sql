alter table item add column size int;
