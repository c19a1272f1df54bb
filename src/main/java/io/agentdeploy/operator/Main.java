package io.agentdeploy.operator;
public class Main { public static void main(String[] a) {} }
