package dev.recstage.core;
public class Placeholder {}
